package io.flowsdk.grpc.impl;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.reflection.v1.ErrorResponse;
import io.vertx.grpc.reflection.v1.ExtensionNumberResponse;
import io.vertx.grpc.reflection.v1.ExtensionRequest;
import io.vertx.grpc.reflection.v1.FileDescriptorResponse;
import io.vertx.grpc.reflection.v1.ListServiceResponse;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;

import java.util.Optional;

/**
 * Answers one server reflection question (grpc.reflection.v1 and v1alpha share the wire format).
 * Every answer echoes the request's host as {@code valid_host} and the request as
 * {@code original_request}; what is not known is an {@code ErrorResponse} with {@code NOT_FOUND}, so
 * the stream stays usable for the next question.
 */
final class ReflectionAnswers {

  private final DescriptorIndex index;

  ReflectionAnswers(DescriptorIndex index) {
    this.index = index;
  }

  ServerReflectionResponse answer(ServerReflectionRequest request) {
    ServerReflectionResponse.Builder response = ServerReflectionResponse.newBuilder()
      .setValidHost(request.getHost())
      .setOriginalRequest(request);
    switch (request.getMessageRequestCase()) {
      case LIST_SERVICES:
        ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
        index.serviceNames().forEach(name -> list.addService(ServiceResponse.newBuilder().setName(name)));
        return response.setListServicesResponse(list).build();
      case FILE_CONTAINING_SYMBOL:
        return files(response, index.fileContainingSymbol(request.getFileContainingSymbol()),
          "symbol '" + request.getFileContainingSymbol() + "' not found");
      case FILE_BY_FILENAME:
        return files(response, index.fileByName(request.getFileByFilename()),
          "file '" + request.getFileByFilename() + "' not found");
      case FILE_CONTAINING_EXTENSION:
        ExtensionRequest extension = request.getFileContainingExtension();
        return files(response, index.extensionsOf(extension.getContainingType()).stream()
            .filter(field -> field.getNumber() == extension.getExtensionNumber())
            .map(FieldDescriptor::getFile)
            .findFirst(),
          "no extension " + extension.getExtensionNumber() + " of '" + extension.getContainingType() + "'");
      case ALL_EXTENSION_NUMBERS_OF_TYPE:
        return extensionNumbers(response, request.getAllExtensionNumbersOfType());
      default:
        return error(response, GrpcStatus.INVALID_ARGUMENT, "the request asks nothing (no message_request set)");
    }
  }

  private ServerReflectionResponse extensionNumbers(ServerReflectionResponse.Builder response, String type) {
    if (!index.isMessageType(type)) {
      return error(response, GrpcStatus.NOT_FOUND, "message type '" + type + "' not found");
    }
    ExtensionNumberResponse.Builder numbers = ExtensionNumberResponse.newBuilder().setBaseTypeName(type);
    index.extensionsOf(type).forEach(field -> numbers.addExtensionNumber(field.getNumber()));
    return response.setAllExtensionNumbersResponse(numbers).build();
  }

  /** The serialized file and all its transitive imports, each once, the file first. */
  private static ServerReflectionResponse files(ServerReflectionResponse.Builder response, Optional<FileDescriptor> file,
                                                String notFound) {
    if (file.isEmpty()) {
      return error(response, GrpcStatus.NOT_FOUND, notFound);
    }
    FileDescriptorResponse.Builder files = FileDescriptorResponse.newBuilder();
    DescriptorIndex.withDependencies(file.get()).forEach(each -> files.addFileDescriptorProto(each.toProto().toByteString()));
    return response.setFileDescriptorResponse(files).build();
  }

  private static ServerReflectionResponse error(ServerReflectionResponse.Builder response, GrpcStatus status, String message) {
    return response.setErrorResponse(ErrorResponse.newBuilder().setErrorCode(status.code).setErrorMessage(message)).build();
  }
}
