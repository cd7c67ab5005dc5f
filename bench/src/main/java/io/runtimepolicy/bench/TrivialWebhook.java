package io.runtimepolicy.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The limit for the webhook benchmark, run in its own JVM: a Vert.x server (independent of the
 * operator's own Netty pipeline) with the same PEM certificate, TLS versions, HTTP/1.1 without ALPN
 * and event-loop count, answering every request with an allowed AdmissionReview that echoes the
 * request's uid once the body is read; no parsing, no policy. Usage: TrivialWebhook PORT CERT_FILE
 * KEY_FILE (listens on 127.0.0.1 only).
 */
public final class TrivialWebhook {

  // The API server refuses an answer whose uid is not its request's, so the uid is echoed; found
  // by a regex, not by parsing the review.
  private static final Pattern UID = Pattern.compile("\"uid\"\\s*:\\s*\"([^\"]{1,64})\"");

  static Buffer allowed(Buffer review) {
    Matcher uid = UID.matcher(review.toString());
    return Buffer.buffer(
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
            + "\"response\":{\"uid\":\""
            + (uid.find() ? uid.group(1) : "")
            + "\",\"allowed\":true}}");
  }

  private TrivialWebhook() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(2)
                .setWorkerPoolSize(1)
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(Integer.parseInt(args[0]))
            .setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(args[1]).setKeyPath(args[2]))
            .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
            .setUseAlpn(false)
            .setIdleTimeout(30)
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    vertx
        .createHttpServer(options)
        .requestHandler(
            request ->
                request
                    .body()
                    .onComplete(
                        body ->
                            request
                                .response()
                                .putHeader("Content-Type", "application/json")
                                .end(allowed(body.result()))))
        .listen()
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    System.out.println("trivial webhook listening on 127.0.0.1:" + args[0]);
  }
}
