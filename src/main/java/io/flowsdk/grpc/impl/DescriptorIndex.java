package io.flowsdk.grpc.impl;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.grpc.server.Service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What server reflection can tell about the services of one gRPC server: their names, and every proto
 * file they are defined in (with its transitive imports) indexed by file name and by fully-qualified
 * symbol (service, method, message, nested message, enum, extension). Built once per reflection stream.
 */
final class DescriptorIndex {

  private final List<String> serviceNames = new ArrayList<>();
  private final Map<String, FileDescriptor> files = new LinkedHashMap<>();
  private final Map<String, FileDescriptor> symbols = new HashMap<>();
  private final Set<String> messageTypes = new HashSet<>();
  private final Map<String, List<FieldDescriptor>> extensions = new HashMap<>();

  DescriptorIndex(List<Service> services) {
    for (Service service : services) {
      serviceNames.add(service.name().fullyQualifiedName());
      ServiceDescriptor descriptor = service.descriptor();
      if (descriptor != null) {
        addFile(descriptor.getFile());
      }
    }
  }

  /** The fully-qualified names of the server's services, in registration order. */
  List<String> serviceNames() {
    return serviceNames;
  }

  Optional<FileDescriptor> fileByName(String name) {
    return Optional.ofNullable(files.get(name));
  }

  Optional<FileDescriptor> fileContainingSymbol(String symbol) {
    return Optional.ofNullable(symbols.get(symbol));
  }

  /** Whether {@code type} is the fully-qualified name of a message type of an indexed file. */
  boolean isMessageType(String type) {
    return messageTypes.contains(type);
  }

  /** The extensions of message {@code type} declared in the indexed files. */
  List<FieldDescriptor> extensionsOf(String type) {
    return extensions.getOrDefault(type, List.of());
  }

  /** {@code file} first, then its transitive imports, each once. */
  static List<FileDescriptor> withDependencies(FileDescriptor file) {
    Set<FileDescriptor> all = new LinkedHashSet<>();
    collect(file, all);
    return new ArrayList<>(all);
  }

  private static void collect(FileDescriptor file, Set<FileDescriptor> into) {
    if (into.add(file)) {
      for (FileDescriptor dependency : file.getDependencies()) {
        collect(dependency, into);
      }
    }
  }

  private void addFile(FileDescriptor file) {
    if (files.putIfAbsent(file.getName(), file) != null) {
      return;
    }
    for (ServiceDescriptor service : file.getServices()) {
      symbols.put(service.getFullName(), file);
      for (MethodDescriptor method : service.getMethods()) {
        symbols.put(method.getFullName(), file);
      }
    }
    file.getMessageTypes().forEach(message -> addMessage(message, file));
    file.getEnumTypes().forEach(type -> symbols.put(type.getFullName(), file));
    file.getExtensions().forEach(extension -> addExtension(extension, file));
    file.getDependencies().forEach(this::addFile);
  }

  private void addMessage(Descriptor message, FileDescriptor file) {
    symbols.put(message.getFullName(), file);
    messageTypes.add(message.getFullName());
    message.getNestedTypes().forEach(nested -> addMessage(nested, file));
    for (EnumDescriptor type : message.getEnumTypes()) {
      symbols.put(type.getFullName(), file);
    }
    message.getExtensions().forEach(extension -> addExtension(extension, file));
  }

  private void addExtension(FieldDescriptor extension, FileDescriptor file) {
    symbols.put(extension.getFullName(), file);
    extensions.computeIfAbsent(extension.getContainingType().getFullName(), type -> new ArrayList<>()).add(extension);
  }
}
