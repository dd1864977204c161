#!/usr/bin/env python3
"""Does what `grpcurl list`, `grpcurl describe` and `grpcurl -d ... call` do, with Debian's grpcio.

On ONE server reflection stream it lists the services, fetches the file descriptors of the services
it will call (and any import the answers lack, by file name, like grpcurl), and asks an unknown
symbol (expecting NOT_FOUND with the stream still usable). It then builds the message classes from
those descriptors alone -- no .proto of the server, no generated stubs -- and calls
flowsdk.v1.Flow/Publish and grpc.health.v1.Health/Check. The reflection messages themselves are
built from reflection.proto (given on the command line), compiled in memory by grpc_tools.

Prints one JSON object on stdout; progress on stderr. Exits non-zero on any failure.
"""
import argparse
import json
import os
import queue
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from grpc_tools import protoc

TIMEOUT = 20


def message_class(pool, full_name):
    descriptor = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def compile_proto(path):
    """reflection.proto -> a descriptor pool holding it (protoc from grpc_tools, nothing written to the tree)."""
    with tempfile.TemporaryDirectory() as out:
        descriptor_set = os.path.join(out, "set.pb")
        directory, name = os.path.split(os.path.abspath(path))
        if protoc.main(["protoc", "-I" + directory, "--include_imports",
                        "--descriptor_set_out=" + descriptor_set, name]) != 0:
            raise SystemExit("protoc failed on " + path)
        with open(descriptor_set, "rb") as f:
            files = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    return pool


class ReflectionStream:
    """One ServerReflectionInfo call; ask() sends a question and waits for its answer."""

    def __init__(self, channel, version, reflection_pool, metadata):
        self.Request = message_class(reflection_pool, "grpc.reflection.v1.ServerReflectionRequest")
        Response = message_class(reflection_pool, "grpc.reflection.v1.ServerReflectionResponse")
        call = channel.stream_stream("/grpc.reflection.%s.ServerReflection/ServerReflectionInfo" % version,
                                     request_serializer=self.Request.SerializeToString,
                                     response_deserializer=Response.FromString)
        self.questions = queue.Queue()
        self.answers = call(iter(self.questions.get, None), timeout=TIMEOUT, metadata=metadata)
        self.asked = 0

    def ask(self, **question):
        request = self.Request(host="localhost", **question)
        self.questions.put(request)
        self.asked += 1
        answer = next(self.answers)
        if answer.original_request != request:
            raise SystemExit("answer to another question: %s" % answer)
        return answer

    def close(self):
        """Half-closes and expects the server to end the call OK."""
        self.questions.put(None)
        for extra in self.answers:
            raise SystemExit("unasked answer: %s" % extra)
        return self.answers.code().name


class Descriptors:
    """A descriptor pool filled the way grpcurl fills it: by symbol, then missing imports by file name."""

    def __init__(self, stream):
        self.stream = stream
        self.pool = descriptor_pool.DescriptorPool()
        self.added = set()
        self.received = {}

    def load_symbol(self, symbol):
        self._receive(self.stream.ask(file_containing_symbol=symbol))
        for name in list(self.received):
            self._add(name)

    def _receive(self, answer):
        if answer.WhichOneof("message_response") != "file_descriptor_response":
            raise SystemExit("no file descriptors: %s" % answer)
        for data in answer.file_descriptor_response.file_descriptor_proto:
            file = descriptor_pb2.FileDescriptorProto.FromString(data)
            self.received.setdefault(file.name, file)

    def _add(self, name):
        if name in self.added:
            return
        if name not in self.received:
            self._receive(self.stream.ask(file_by_filename=name))
        file = self.received[name]
        for dependency in file.dependency:
            self._add(dependency)
        self.pool.Add(file)
        self.added.add(name)


def unary(channel, pool, full_method, request_json, metadata):
    service_name, method_name = full_method.split("/")
    method = pool.FindServiceByName(service_name).methods_by_name[method_name]
    Request = message_class(pool, method.input_type.full_name)
    Response = message_class(pool, method.output_type.full_name)
    call = channel.unary_unary("/" + full_method, request_serializer=Request.SerializeToString,
                               response_deserializer=Response.FromString)
    reply = call(json_format.Parse(request_json, Request()), timeout=TIMEOUT, metadata=metadata)
    return json.loads(json_format.MessageToJson(reply))


def describe(pool, service_name):
    """The methods as grpcurl describe shows them, from the descriptor alone."""
    service = descriptor_pb2.ServiceDescriptorProto()
    pool.FindServiceByName(service_name).CopyToProto(service)
    return ["rpc %s(%s%s) returns (%s%s)" % (m.name, "stream " if m.client_streaming else "", m.input_type.lstrip("."),
                                             "stream " if m.server_streaming else "", m.output_type.lstrip("."))
            for m in service.method]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="host:port of the gateway (plaintext)")
    parser.add_argument("--reflection-proto", required=True, help="path of grpc.reflection.v1's reflection.proto")
    parser.add_argument("--reflection", default="v1", choices=["v1", "v1alpha"])
    parser.add_argument("--publish", required=True, help="JSON of the flowsdk.v1.PublishRequest (like grpcurl -d)")
    parser.add_argument("--token", help="bearer token for reflection and the Flow call (grpcurl -H)")
    args = parser.parse_args()

    result = {"reflection": args.reflection}
    metadata = [("authorization", "Bearer " + args.token)] if args.token else None
    with grpc.insecure_channel(args.target) as channel:
        stream = ReflectionStream(channel, args.reflection, compile_proto(args.reflection_proto), metadata)
        listed = stream.ask(list_services="")
        result["services"] = [s.name for s in listed.list_services_response.service]
        print("list: %s" % result["services"], file=sys.stderr)
        descriptors = Descriptors(stream)
        descriptors.load_symbol("flowsdk.v1.Flow")
        unknown = stream.ask(file_containing_symbol="flowsdk.v1.NoSuchService")
        result["unknownSymbolError"] = unknown.error_response.error_code
        descriptors.load_symbol("grpc.health.v1.Health")
        result["files"] = sorted(descriptors.added)
        result["reflectionQuestions"] = stream.asked
        result["reflectionStatus"] = stream.close()
        result["describe"] = describe(descriptors.pool, "flowsdk.v1.Flow")
        print("describe flowsdk.v1.Flow: %s" % result["describe"], file=sys.stderr)

        result["publish"] = unary(channel, descriptors.pool, "flowsdk.v1.Flow/Publish", args.publish, metadata)
        result["health"] = unary(channel, descriptors.pool, "grpc.health.v1.Health/Check",
                                 '{"service": "flowsdk.v1.Flow"}', None)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
