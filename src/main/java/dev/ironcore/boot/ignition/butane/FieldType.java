package dev.ironcore.boot.ignition.butane;

/** The Go type of a Butane schema field, as far as decoding YAML into it is concerned. */
sealed interface FieldType permits FieldType.Scalar, FieldType.ListOf, ObjectSchema {

  enum Scalar implements FieldType { STRING, INT, BOOL }

  record ListOf(FieldType element) implements FieldType {}

  static ListOf listOf(FieldType element) {
    return new ListOf(element);
  }
}
