package io.flowsdk.mqtt.testing;

/** Placeholder entry point of flowsdk-mqtt-testing.jar, replaced by the conformance runner. */
public final class ConformanceMain {

  private ConformanceMain() {
  }

  public static void main(String[] args) {
    System.out.println("flowsdk-mqtt-testing");
  }
}
