package io.flowsdk.relay.impl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetadataValuesTest {

  @Test
  void givenAClientIdWithSpacesControlCharactersPercentAndNonAsciiWhenEncodedThenOnlyVisibleAsciiRemainsAndItDecodesBack() {
    String id = "a b\n%\u00e9\u5ba2";
    String encoded = MetadataValues.encode(id);
    assertEquals("a%20b%0A%25%C3%A9%E5%AE%A2", encoded);
    assertEquals(id, MetadataValues.decode(encoded));
  }

  @Test
  void givenAMalformedEscapeWhenDecodedThenItStaysAsItIs() {
    assertEquals("100%", MetadataValues.decode("100%"));
    assertEquals("%zz%4", MetadataValues.decode("%zz%4"));
  }
}
