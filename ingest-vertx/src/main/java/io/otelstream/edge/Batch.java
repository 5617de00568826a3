package io.otelstream.edge;

import java.util.ArrayList;
import java.util.List;

/** The Kafka records made from one request, and what in it was rejected. */
final class Batch {
  /** One Kafka record: key and value bytes. */
  record Record(byte[] key, byte[] value) {}

  final List<Record> records = new ArrayList<>();
  long items;
  long rejected;
  String rejectMessage;

  void add(byte[] key, byte[] value) {
    records.add(new Record(key, value));
  }

  void reject(long count, String message) {
    rejected += count;
    if (rejectMessage == null) {
      rejectMessage = message;
    }
  }

  long accepted() {
    return items - rejected;
  }
}
