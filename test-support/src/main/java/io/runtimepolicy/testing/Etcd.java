package io.runtimepolicy.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kube-api-test's etcd, through etcd's JSON gateway on its client port: what an API server's own
 * compaction does, on demand. Found from the API server's {@code --etcd-servers} flag.
 */
public final class Etcd {

  private static final Pattern REVISION = Pattern.compile("\"revision\":\"(\\d+)\"");

  private final URI url;
  private final HttpClient http = HttpClient.newHttpClient();

  private Etcd(URI url) {
    this.url = url;
  }

  public static Etcd of(KubeAPIServer server) {
    List<String> args = apiServerArguments(server);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String value =
          arg.startsWith("--etcd-servers=")
              ? arg.substring("--etcd-servers=".length())
              : arg.equals("--etcd-servers") && i + 1 < args.size() ? args.get(i + 1) : null;
      if (value != null) {
        return new Etcd(URI.create(value.split(",")[0].replace("0.0.0.0", "127.0.0.1")));
      }
    }
    throw new IllegalStateException("the API server has no --etcd-servers flag");
  }

  /** etcd's current revision: the newest resourceVersion any object can have. */
  public long revision() {
    // An empty key with range_end "\0" would list everything: one key that does not exist is
    // enough for the header.
    return revisionOf(post("/v3/kv/range", "{\"key\":\"AA==\"}"));
  }

  /**
   * Compacts every revision before the current one away, physically, and returns that revision: a
   * watch from any older resourceVersion can then only be answered with 410 Gone.
   */
  public long compactToCurrent() {
    long revision = revision();
    post("/v3/kv/compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}");
    return revision;
  }

  private String post(String path, String body) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(url.resolve(path))
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "etcd " + path + ": HTTP " + response.statusCode() + " " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("etcd " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long revisionOf(String body) {
    Matcher m = REVISION.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no revision in etcd's answer: " + body);
    }
    return Long.parseLong(m.group(1));
  }

  private static List<String> apiServerArguments(KubeAPIServer server) {
    Process process = KubeApiTestInternals.apiServerProcess(server);
    return List.of(process.info().arguments().orElseThrow());
  }
}
