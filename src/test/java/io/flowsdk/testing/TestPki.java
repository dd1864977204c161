package io.flowsdk.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate it signed (for {@code localhost} and
 * {@code 127.0.0.1}), made with the {@code openssl} command line in a directory of the test's choice.
 * PEM files: {@link #caCert()}, {@link #serverCert()}, {@link #serverKey()}; client certificates on demand.
 */
public final class TestPki {

  private final Path dir;

  private TestPki(Path dir) {
    this.dir = dir;
  }

  /** Generates the CA and the server certificate in {@code dir} (valid for two days). */
  public static TestPki create(Path dir) throws IOException, InterruptedException {
    TestPki pki = new TestPki(dir);
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=FlowSDK Test CA",
      "-keyout", dir.resolve("ca.key").toString(), "-out", pki.caCert().toString());
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
      "-keyout", pki.serverKey().toString(), "-out", dir.resolve("server.csr").toString());
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    run("openssl", "x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA", pki.caCert().toString(),
      "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2",
      "-extfile", dir.resolve("san.ext").toString(), "-out", pki.serverCert().toString());
    return pki;
  }

  /**
   * Generates a client certificate with subject {@code CN=<cn>} signed by the CA (valid for two
   * days): {@code <cn>.crt} and {@code <cn>.key} in the directory.
   */
  public ClientCertificate clientCertificate(String cn) throws IOException, InterruptedException {
    Path key = dir.resolve(cn + ".key");
    Path csr = dir.resolve(cn + ".csr");
    Path cert = dir.resolve(cn + ".crt");
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn, "-keyout", key.toString(), "-out", csr.toString());
    run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", caCert().toString(), "-CAkey", dir.resolve("ca.key").toString(),
      "-CAcreateserial", "-days", "2", "-out", cert.toString());
    return new ClientCertificate(cert, key);
  }

  /** A client certificate and its key, PEM files. */
  public record ClientCertificate(Path cert, Path key) {
  }

  public Path caCert() {
    return dir.resolve("ca.crt");
  }

  public Path serverCert() {
    return dir.resolve("server.crt");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** Runs a command line tool, failing with its output when it does not exit with 0 within 30 s. */
  public static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
  }
}
