package dev.ironcore.boot.ignition.butane;

/** A place in the YAML source, 1-based like the messages of Go yaml.v3. */
record Position(int line, int column) {

  @Override
  public String toString() {
    return "line " + line + " column " + column;
  }
}
