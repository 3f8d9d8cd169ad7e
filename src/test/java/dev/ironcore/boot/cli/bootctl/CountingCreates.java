package dev.ironcore.boot.cli.bootctl;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CRUD mock's dispatcher, once armed counting the creates that reach it and answering 500 to every
 * create whose path ends with {@code failingPath} and every delete whose path contains {@code failingDeletes}
 * (null: none fails), as an API server whose storage broke.
 */
final class CountingCreates extends KubernetesCrudDispatcher {
  private static final String STORAGE_FAILURE = """
      {"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcdserver: request timed out","code":500}""";

  private final String failingPath;
  private final String failingDeletes;
  private final AtomicInteger stored = new AtomicInteger();
  private volatile boolean armed;

  CountingCreates(String failingPath, String failingDeletes) {
    this.failingPath = failingPath;
    this.failingDeletes = failingDeletes;
  }

  /** From now on creates are counted and the failing path fails (the test's own set-up is done). */
  void arm() {
    armed = true;
  }

  /** Creates stored since {@link #arm()}. */
  int stored() {
    return stored.get();
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    if (armed && failingPath != null && request.getPath().endsWith(failingPath)) {
      return new MockResponse().setResponseCode(500).setBody(STORAGE_FAILURE);
    }
    if (armed) {
      stored.incrementAndGet();
    }
    return super.handleCreate(request);
  }

  @Override
  public MockResponse handleDelete(String path) {
    if (armed && failingDeletes != null && path.contains(failingDeletes)) {
      return new MockResponse().setResponseCode(500).setBody(STORAGE_FAILURE);
    }
    return super.handleDelete(path);
  }
}
