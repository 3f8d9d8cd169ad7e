package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;

/** Raises validation errors and warnings on output config, named by source location when there is one. */
record Problems(SourceMap sourceMap, Report report) {

  ButaneException error(JsonNode container, String key, String outputPath, String problem) {
    return sourceMap.error(container, key, outputPath + "." + key, problem);
  }

  void warn(JsonNode container, String key, String outputPath, String problem) {
    report.warn(sourceMap.locate(container, key), outputPath + "." + key, problem);
  }
}
