package io.flowsdk.grpc.impl;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TimestampProto;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.v1.ExtensionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.server.Service;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reflection answers without sockets, over a service whose file imports another file that imports
 * {@code google/protobuf/timestamp.proto} (which the service's file imports too: a diamond).
 */
class ReflectionAnswersTest {

  private static final FileDescriptor COMMON = file(FileDescriptorProto.newBuilder()
    .setName("shop/v1/common.proto").setPackage("shop.v1").setSyntax("proto2")
    .addDependency("google/protobuf/timestamp.proto")
    .addMessageType(DescriptorProto.newBuilder().setName("Stamp")
      .addField(field("at", 1).setTypeName(".google.protobuf.Timestamp").setType(FieldDescriptorProto.Type.TYPE_MESSAGE))
      .addExtensionRange(DescriptorProto.ExtensionRange.newBuilder().setStart(100).setEnd(200)))
    .addExtension(field("note", 150).setExtendee(".shop.v1.Stamp").setType(FieldDescriptorProto.Type.TYPE_STRING)),
    TimestampProto.getDescriptor());

  private static final FileDescriptor SHOP = file(FileDescriptorProto.newBuilder()
    .setName("shop/v1/shop.proto").setPackage("shop.v1").setSyntax("proto3")
    .addDependency("shop/v1/common.proto").addDependency("google/protobuf/timestamp.proto")
    .addMessageType(DescriptorProto.newBuilder().setName("Order")
      .addField(field("stamp", 1).setTypeName(".shop.v1.Stamp").setType(FieldDescriptorProto.Type.TYPE_MESSAGE))
      .addNestedType(DescriptorProto.newBuilder().setName("Line"))
      .addEnumType(EnumDescriptorProto.newBuilder().setName("State")
        .addValue(EnumValueDescriptorProto.newBuilder().setName("STATE_UNSPECIFIED").setNumber(0))))
    .addService(ServiceDescriptorProto.newBuilder().setName("Shop")
      .addMethod(MethodDescriptorProto.newBuilder().setName("Place").setInputType(".shop.v1.Order").setOutputType(".shop.v1.Order"))),
    COMMON, TimestampProto.getDescriptor());

  private final ReflectionAnswers answers = new ReflectionAnswers(new DescriptorIndex(List.of(
    Service.service(ServiceName.create("shop.v1.Shop"), SHOP.findServiceByName("Shop")).build())));

  @Test
  void givenServiceSymbol_whenFileContainingSymbolAsked_thenFileFirstThenEachTransitiveImportOnce() throws Exception {
    assertEquals(List.of("shop/v1/shop.proto", "shop/v1/common.proto", "google/protobuf/timestamp.proto"),
      fileNames(ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol("shop.v1.Shop").build())));
  }

  @Test
  void givenMethodNestedTypeOrEnum_whenFileContainingSymbolAsked_thenTheirFile() throws Exception {
    for (String symbol : List.of("shop.v1.Shop.Place", "shop.v1.Order", "shop.v1.Order.Line", "shop.v1.Order.State")) {
      assertEquals("shop/v1/shop.proto", fileNames(ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build())).get(0));
    }
    assertEquals(List.of("google/protobuf/timestamp.proto"),
      fileNames(ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol("google.protobuf.Timestamp").build())));
  }

  @Test
  void givenImportedFileName_whenFileByFilenameAsked_thenFoundThroughTheImports() throws Exception {
    assertEquals(List.of("shop/v1/common.proto", "google/protobuf/timestamp.proto"),
      fileNames(ask(ServerReflectionRequest.newBuilder().setFileByFilename("shop/v1/common.proto").build())));
  }

  @Test
  void givenDeclaredExtension_whenExtensionQuestionsAsked_thenItsFileAndNumber() throws Exception {
    ServerReflectionResponse file = ask(ServerReflectionRequest.newBuilder().setFileContainingExtension(
      ExtensionRequest.newBuilder().setContainingType("shop.v1.Stamp").setExtensionNumber(150)).build());
    assertEquals("shop/v1/common.proto", fileNames(file).get(0));
    ServerReflectionResponse numbers = ask(ServerReflectionRequest.newBuilder().setAllExtensionNumbersOfType("shop.v1.Stamp").build());
    assertEquals(List.of(150), numbers.getAllExtensionNumbersResponse().getExtensionNumberList());
    ServerReflectionResponse missing = ask(ServerReflectionRequest.newBuilder().setFileContainingExtension(
      ExtensionRequest.newBuilder().setContainingType("shop.v1.Stamp").setExtensionNumber(151)).build());
    assertEquals(5, missing.getErrorResponse().getErrorCode());
  }

  @Test
  void givenUnknownNames_whenAsked_thenNotFoundEchoingHostAndRequest() {
    for (ServerReflectionRequest request : List.of(
      ServerReflectionRequest.newBuilder().setHost("h").setFileContainingSymbol("shop.v1.Nope").build(),
      ServerReflectionRequest.newBuilder().setHost("h").setFileByFilename("nope.proto").build(),
      ServerReflectionRequest.newBuilder().setHost("h").setAllExtensionNumbersOfType("shop.v1.Nope").build())) {
      ServerReflectionResponse answer = answers.answer(request);
      assertEquals(5, answer.getErrorResponse().getErrorCode(), answer.toString());
      assertTrue(answer.getErrorResponse().getErrorMessage().contains("not found"), answer.toString());
      assertEquals("h", answer.getValidHost());
      assertEquals(request, answer.getOriginalRequest());
    }
  }

  @Test
  void givenEmptyRequest_whenAsked_thenInvalidArgument() {
    assertEquals(3, answers.answer(ServerReflectionRequest.getDefaultInstance()).getErrorResponse().getErrorCode());
  }

  @Test
  void givenServices_whenListServicesAsked_thenTheirNames() {
    assertEquals("shop.v1.Shop", answers.answer(ServerReflectionRequest.newBuilder().setListServices("*").build())
      .getListServicesResponse().getService(0).getName());
  }

  private ServerReflectionResponse ask(ServerReflectionRequest request) {
    ServerReflectionResponse answer = answers.answer(request);
    assertEquals(request, answer.getOriginalRequest());
    return answer;
  }

  private static List<String> fileNames(ServerReflectionResponse response) throws InvalidProtocolBufferException {
    assertTrue(response.hasFileDescriptorResponse(), response.toString());
    List<String> names = new ArrayList<>();
    for (var bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      names.add(FileDescriptorProto.parseFrom(bytes).getName());
    }
    return names;
  }

  private static FieldDescriptorProto.Builder field(String name, int number) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
  }

  private static FileDescriptor file(FileDescriptorProto.Builder proto, FileDescriptor... dependencies) {
    try {
      return FileDescriptor.buildFrom(proto.build(), dependencies);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
