// Structure-aware mutation of protobuf messages for libFuzzer's custom
// mutator hook: the fuzz targets that read a serialized message mutate the
// message's fields through reflection (edge values, resource names, invalid
// UTF-8, added and removed repeated elements, switched oneofs) instead of
// only its bytes, which mostly break the wire format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

namespace govreport::fuzz {

// Applies random changes to messages. Not thread-safe (libFuzzer mutates on
// one thread).
class ProtoMutator {
 public:
  // `words` are strings worth trying in string fields (resource names,
  // names of regions and indicators, units); they are mixed with texts the
  // mutator makes up.
  ProtoMutator(uint32_t seed, std::vector<std::string> words);

  // Restarts the random sequence (libFuzzer passes a seed per mutation).
  void Reseed(uint32_t seed) { random_.seed(seed); }

  // One change somewhere in `message`: a scalar set to an edge or random
  // value, a string replaced or edited, a repeated field grown, shrunk or
  // reordered, a oneof switched, a submessage cleared or recursed into.
  void Mutate(google::protobuf::Message& message);

 private:
  void MutateField(google::protobuf::Message& message,
                   const google::protobuf::FieldDescriptor& field);
  void MutateRepeated(google::protobuf::Message& message,
                      const google::protobuf::FieldDescriptor& field);
  void SetScalar(google::protobuf::Message& message,
                 const google::protobuf::FieldDescriptor& field, int index);
  std::string MutateString(std::string value);
  int64_t Integer();
  // `value` one up or down, negated or doubled.
  int64_t Nudge(int64_t value);
  double Double();
  size_t Below(size_t n) { return n == 0 ? 0 : random_() % n; }

  std::mt19937 random_;
  std::vector<std::string> words_;
};

// The libFuzzer custom mutator for a target whose input is a serialized
// message of `scratch`'s type: mostly one to three ProtoMutator changes to
// the parsed message (reseeded with `seed`), sometimes libFuzzer's own
// byte-level mutation (always for inputs that do not parse). Returns the new
// size, at most `max_size`, as LLVMFuzzerCustomMutator must.
size_t MutateSerialized(ProtoMutator& mutator,
                        google::protobuf::Message& scratch, uint8_t* data,
                        size_t size, size_t max_size, unsigned int seed);

}  // namespace govreport::fuzz
