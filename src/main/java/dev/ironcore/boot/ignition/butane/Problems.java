package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;

/** Raises validation errors and warnings on output config, named by source location when there is one. */
record Problems(SourceMap sourceMap, Report report) {

  ButaneException error(JsonNode container, String key, String outputPath, String problem) {
    return sourceMap.error(container, key, outputPath + "." + key, problem);
  }

  /** As {@link #error(JsonNode, String, String, String)}; {@code detailedProblem} may quote the input. */
  ButaneException error(JsonNode container, String key, String outputPath, String detailedProblem, String problem) {
    return sourceMap.error(container, key, outputPath + "." + key, detailedProblem, problem);
  }

  void warn(JsonNode container, String key, String outputPath, String problem) {
    report.warn(sourceMap.locate(container, key), outputPath + "." + key, problem);
  }
}
