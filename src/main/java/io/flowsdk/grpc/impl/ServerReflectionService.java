package io.flowsdk.grpc.impl;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.v1.ServerReflectionProto;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;

/**
 * The gRPC server reflection service, {@code grpc.reflection.v1.ServerReflection} or its older twin
 * {@code grpc.reflection.v1alpha.ServerReflection} (same messages, another package; older grpcurl speaks
 * only v1alpha). Unlike vertx-grpc-reflection's handler, it answers every question of a stream (see
 * {@link ReflectionStream}), which is how grpcurl, grpc-cli, Postman and evans use it.
 */
final class ServerReflectionService implements Service {

  private static final String V1 = "grpc.reflection.v1";
  private static final String V1ALPHA = "grpc.reflection.v1alpha";
  private static final String METHOD = "ServerReflectionInfo";

  private final ServiceName name;
  private final ServiceDescriptor descriptor;

  private ServerReflectionService(ServiceDescriptor descriptor) {
    this.name = ServiceName.create(descriptor.getFullName());
    this.descriptor = descriptor;
  }

  /** {@code grpc.reflection.v1.ServerReflection}. */
  static ServerReflectionService v1() {
    return new ServerReflectionService(ServerReflectionProto.getDescriptor().findServiceByName("ServerReflection"));
  }

  /** {@code grpc.reflection.v1alpha.ServerReflection}, described by its own file {@code grpc/reflection/v1alpha/reflection.proto}. */
  static ServerReflectionService v1alpha() {
    return new ServerReflectionService(V1AlphaFile.FILE.findServiceByName("ServerReflection"));
  }

  @Override
  public ServiceName name() {
    return name;
  }

  @Override
  public ServiceDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public void bind(GrpcServer server) {
    ServiceMethod<Buffer, ServerReflectionResponse> method = ServiceMethod.server(name, METHOD,
      GrpcMessageEncoder.encoder(), GrpcMessageDecoder.IDENTITY);
    server.callHandler(method, request -> ReflectionStream.start(request,
      new ReflectionAnswers(new DescriptorIndex(server.services()))));
  }

  /** The v1 reflection.proto moved to package {@code grpc.reflection.v1alpha}, built once. */
  private static final class V1AlphaFile {

    static final FileDescriptor FILE = build();

    private static FileDescriptor build() {
      FileDescriptorProto.Builder file = ServerReflectionProto.getDescriptor().toProto().toBuilder()
        .setName("grpc/reflection/v1alpha/reflection.proto")
        .setPackage(V1ALPHA);
      for (ServiceDescriptorProto.Builder service : file.getServiceBuilderList()) {
        for (MethodDescriptorProto.Builder method : service.getMethodBuilderList()) {
          method.setInputType(renamed(method.getInputType())).setOutputType(renamed(method.getOutputType()));
        }
      }
      for (DescriptorProto.Builder message : file.getMessageTypeBuilderList()) {
        for (FieldDescriptorProto.Builder field : message.getFieldBuilderList()) {
          if (field.hasTypeName()) {
            field.setTypeName(renamed(field.getTypeName()));
          }
        }
      }
      try {
        return FileDescriptor.buildFrom(file.build(), new FileDescriptor[0]);
      } catch (DescriptorValidationException e) {
        throw new IllegalStateException("cannot derive the v1alpha reflection descriptor", e);
      }
    }

    private static String renamed(String type) {
      return type.replace("." + V1 + ".", "." + V1ALPHA + ".");
    }
  }
}
