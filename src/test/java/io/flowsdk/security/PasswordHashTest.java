package io.flowsdk.security;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest {

  @Test
  void givenAHash_whenVerified_thenOnlyThePasswordMatchesAndTwoHashesOfItDifferByTheirSalt() {
    String encoded = PasswordHash.hash("wonderland", 1000);
    assertTrue(encoded.matches("\\$pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), encoded);
    PasswordHash hash = PasswordHash.parse(encoded);
    assertTrue(hash.verify("wonderland"));
    assertFalse(hash.verify("Wonderland"));
    assertFalse(hash.verify(""));
    assertEquals(encoded, hash.toString());
    assertNotEquals(encoded, PasswordHash.hash("wonderland", 1000));
  }

  @Test
  void givenAHashMadeByAnotherImplementation_whenVerified_thenItMatches() {
    // Python: hashlib.pbkdf2_hmac('sha256', b'Password', b'salt-of-16-bytes', 1000, 32), Base64 without padding
    String encoded = "$pbkdf2-sha256$1000$c2FsdC1vZi0xNi1ieXRlcw$+zVsh6LQpwFIDDtueOzKz0pX8uC1i8UIFguumwLIncA";
    assertTrue(PasswordHash.parse(encoded).verify("Password"));
  }

  @Test
  void givenMalformedHashes_whenParsed_thenInvalidSayingWhyWithoutEchoingThem() {
    for (String bad : new String[] {"secret", "$pbkdf2-sha256$10$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$pbkdf2-sha256$x$a$b",
      "$pbkdf2-sha256$1000$!!$??", "$pbkdf2-sha256$1000$c2FsdHNhbHQ"}) {
      FlowException e = assertThrows(FlowException.class, () -> PasswordHash.parse(bad));
      assertEquals(FlowError.INVALID, e.error());
      assertTrue(e.getMessage().startsWith("not a password hash: "), e.getMessage());
      assertFalse(e.getMessage().contains(bad), e.getMessage());
    }
  }

  @Test
  void givenAPasswordOnStandardInput_whenMainRuns_thenItPrintsAHashOfIt() throws Exception {
    InputStream in = System.in;
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try {
      System.setIn(new ByteArrayInputStream("wonderland\n".getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      PasswordHash.main(new String[] {"1000"});
    } finally {
      System.setIn(in);
      System.setOut(out);
    }
    assertTrue(PasswordHash.parse(printed.toString(StandardCharsets.UTF_8).trim()).verify("wonderland"));
  }
}
