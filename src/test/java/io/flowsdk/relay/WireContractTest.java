package io.flowsdk.relay;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.flowsdk.relay.proto.RelayProto;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Given the wire contract of FlowSDK's relay (every service method, message field with its number, type,
 * label and oneof, and enum value with its number, listed in {@code flowsdk-relay-contract.txt} from
 * FlowSDK's own .proto files at the commit named there), when our generated descriptors are listed the
 * same way, then the lists are equal: nothing renumbered, retyped, missing or added below our extension
 * range (field numbers from 100 are our documented extensions and are left out).
 */
class WireContractTest {

  /** Our extensions of FlowSDK's messages are numbered from here (docs/relay.md). */
  private static final int FIRST_EXTENSION = 100;

  @Test
  void givenFlowSdksContract_whenOurDescriptorsAreListed_thenTheyAreTheSame() throws IOException {
    List<String> expected = new ArrayList<>();
    try (InputStream in = WireContractTest.class.getResourceAsStream("flowsdk-relay-contract.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          expected.add(line.strip());
        }
      }
    }
    assertEquals(String.join("\n", expected), String.join("\n", contract(RelayProto.getDescriptor())));
  }

  @Test
  void givenTheSessionControlTypes_thenTheyHaveFlowSdksNumbers() {
    EnumDescriptor types = io.flowsdk.relay.proto.SessionControl.ControlType.getDescriptor();
    assertEquals(0, types.findValueByName("ESTABLISHV3").getNumber());
    assertEquals(1, types.findValueByName("ESTABLISHV5").getNumber());
    assertEquals(2, types.findValueByName("TERMINATE").getNumber());
    assertEquals(3, types.findValueByName("HEARTBEAT").getNumber());
    assertEquals(null, io.flowsdk.relay.proto.MqttStreamMessage.getDescriptor().findFieldByNumber(1),
      "FlowSDK removed session_id = 1 from MqttStreamMessage; it travels in the session-id metadata only");
  }

  /**
   * The contract of {@code root} and the files it imports, one sorted line per method, field and enum value.
   * Run with a path to a {@code protoc --include_imports --descriptor_set_out} file of FlowSDK's protos,
   * {@link #main} prints the same listing for them: that is how the contract file was made.
   */
  static List<String> contract(FileDescriptor root) {
    TreeSet<String> lines = new TreeSet<>();
    List<FileDescriptor> files = new ArrayList<>(root.getDependencies());
    files.add(root);
    for (FileDescriptor file : files) {
      for (ServiceDescriptor service : file.getServices()) {
        for (MethodDescriptor m : service.getMethods()) {
          lines.add("rpc " + m.getFullName() + " " + (m.isClientStreaming() ? "stream " : "")
            + m.getInputType().getFullName() + " -> " + (m.isServerStreaming() ? "stream " : "")
            + m.getOutputType().getFullName());
        }
      }
      file.getMessageTypes().forEach(message -> addMessage(message, lines));
      file.getEnumTypes().forEach(e -> addEnum(e, lines));
    }
    return new ArrayList<>(lines);
  }

  private static void addMessage(Descriptor message, TreeSet<String> lines) {
    lines.add("message " + message.getFullName());
    for (FieldDescriptor field : message.getFields()) {
      if (field.getNumber() >= FIRST_EXTENSION) {
        continue;
      }
      String type = switch (field.getJavaType()) {
        case MESSAGE -> field.getMessageType().getFullName();
        case ENUM -> field.getEnumType().getFullName();
        default -> field.getType().name().toLowerCase();
      };
      String oneof = field.getRealContainingOneof() != null ? " oneof " + field.getRealContainingOneof().getName() : "";
      lines.add("field " + field.getFullName() + " = " + field.getNumber() + " " + (field.isRepeated() ? "repeated " : "")
        + type + oneof);
    }
    message.getNestedTypes().forEach(nested -> addMessage(nested, lines));
    message.getEnumTypes().forEach(e -> addEnum(e, lines));
  }

  private static void addEnum(EnumDescriptor e, TreeSet<String> lines) {
    for (EnumValueDescriptor value : e.getValues()) {
      lines.add("enum " + e.getFullName() + "." + value.getName() + " = " + value.getNumber());
    }
  }

  public static void main(String[] args) throws IOException, DescriptorValidationException {
    FileDescriptorSet set = FileDescriptorSet.parseFrom(Files.readAllBytes(Path.of(args[0])));
    Map<String, FileDescriptor> built = new HashMap<>();
    FileDescriptor last = null;
    for (var proto : set.getFileList()) {
      FileDescriptor[] deps = proto.getDependencyList().stream().map(built::get).toArray(FileDescriptor[]::new);
      last = FileDescriptor.buildFrom(proto, deps);
      built.put(proto.getName(), last);
    }
    contract(last).forEach(System.out::println);
  }
}
