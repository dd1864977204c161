package io.flowsdk.testing;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.serialization.impl.SerializationConstants;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sends an object through Hazelcast's serialization as a member would, checking it travels as identified data. */
public final class IdentifiedData {

  private static final InternalSerializationService SERIALIZATION = new DefaultSerializationServiceBuilder().build();

  private IdentifiedData() {
  }

  public static <T> T roundTrip(Object o) {
    Data data = SERIALIZATION.toData(o);
    assertEquals(SerializationConstants.CONSTANT_TYPE_DATA_SERIALIZABLE, data.getType(), o.getClass() + " is not sent as identified data");
    return SERIALIZATION.toObject(data);
  }

  /** How many bytes {@code o} takes on the wire. */
  public static int size(Object o) {
    return SERIALIZATION.toData(o).totalSize();
  }
}
