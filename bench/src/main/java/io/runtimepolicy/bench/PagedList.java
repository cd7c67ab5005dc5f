package io.runtimepolicy.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline of a start over many workloads: what the API server and the wire cost to list every
 * workload of the five kinds in pages of 500 (the operator's informer page), the kinds in parallel
 * as the informers list them. The body of each page is read as bytes and only its {@code continue}
 * token is looked at: no object is built, so the operator's own cost is what its start takes over
 * this.
 */
final class PagedList {

  record Result(double seconds, long pages, long bytes) {}

  static final List<String> PATHS =
      List.of(
          "/apis/apps/v1/deployments",
          "/apis/apps/v1/statefulsets",
          "/apis/apps/v1/daemonsets",
          "/apis/batch/v1/cronjobs",
          "/apis/batch/v1/jobs");

  private static final JsonFactory JSON = new JsonFactory();

  private PagedList() {}

  static Result everything(KubernetesClient client) {
    AtomicLong pages = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    long start = System.nanoTime();
    ParallelLoop.run(PATHS.size(), PATHS.size(), i -> list(client, PATHS.get(i), pages, bytes));
    return new Result((System.nanoTime() - start) / 1e9, pages.get(), bytes.get());
  }

  private static void list(
      KubernetesClient client, String path, AtomicLong pages, AtomicLong bytes) {
    String next = "";
    do {
      String uri =
          path
              + "?limit=500"
              + (next.isEmpty()
                  ? ""
                  : "&continue=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
      String body = client.raw(uri);
      pages.incrementAndGet();
      bytes.addAndGet(body.length());
      next = continueToken(body);
    } while (!next.isEmpty());
  }

  /** The list's metadata.continue, read as a stream: the API server writes metadata first. */
  static String continueToken(String body) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException(
            "not a list: " + body.substring(0, Math.min(200, body.length())));
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("metadata")) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          if (name.equals("continue")) {
            return p.getText();
          }
          p.skipChildren();
        }
        return "";
      }
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
