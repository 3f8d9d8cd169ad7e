package dev.ironcore.boot.imageproxy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;

/**
 * A JDK client's result (registry auth, manifests) back on a Vert.x context. The JDK client
 * completes on its own threads; a request's streaming must go on where its response lives, or
 * Vert.x's streams (not thread-safe) lose a drain or chunks.
 */
final class OnContext {
  private OnContext() {}

  /** {@code stage}'s outcome on {@code context}; where it completes when there is no context (a caller outside Vert.x). */
  static <T> Future<T> of(CompletionStage<T> stage, Context context) {
    return context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
  }
}
