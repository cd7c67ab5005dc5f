package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runtimepolicy.operator.webhook.TestCertificates.KeyFormat;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TlsMaterialTest {
  private static final Vertx vertx = Vertx.vertx();
  @TempDir Path dir;

  @AfterAll
  static void close() {
    vertx.close();
  }

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void readsEveryKeyFormatHelmAndOpensslWrite(KeyFormat format) throws Exception {
    var pem = TestCertificates.selfSigned("format-" + format, format).writeTo(dir);

    var leaf = TlsMaterial.read(dir.resolve("tls.crt"), dir.resolve("tls.key")).load(vertx).leaf();

    assertThat(leaf).isEqualTo(pem.certificate());
    assertThat(pem.key())
        .startsWith(
            format == KeyFormat.RSA_PKCS1
                ? "-----BEGIN RSA PRIVATE KEY-----"
                : "-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void refusesAKeyThatIsNotTheCertificates() throws IOException {
    var served = TestCertificates.selfSigned("served", KeyFormat.RSA_PKCS1);
    var other = TestCertificates.selfSigned("other", KeyFormat.RSA_PKCS1);
    var material =
        new TlsMaterial(
            io.vertx.core.buffer.Buffer.buffer(served.cert()),
            io.vertx.core.buffer.Buffer.buffer(other.key()));

    assertThatThrownBy(() -> material.load(vertx))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("does not belong to certificate CN=served");
  }

  @Test
  void refusesAnEcKeyForAnRsaCertificate() {
    var served = TestCertificates.selfSigned("served", KeyFormat.RSA_PKCS8);
    var other = TestCertificates.selfSigned("other", KeyFormat.EC_PKCS8);
    var material =
        new TlsMaterial(
            io.vertx.core.buffer.Buffer.buffer(served.cert()),
            io.vertx.core.buffer.Buffer.buffer(other.key()));

    assertThatThrownBy(() -> material.load(vertx)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void refusesGarbage() throws IOException {
    Files.writeString(
        dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
    Files.writeString(dir.resolve("tls.key"), "not a key");

    var material = TlsMaterial.read(dir.resolve("tls.crt"), dir.resolve("tls.key"));

    assertThatThrownBy(() -> material.load(vertx)).isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> TlsMaterial.read(dir.resolve("missing.crt"), dir.resolve("tls.key")))
        .isInstanceOf(NoSuchFileException.class);
  }

  /** The command docs/webhook.md gives for local runs. */
  @Test
  void readsThePairTheDocumentedOpensslCommandWrites() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "365",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                "tls.key",
                "-out",
                "tls.crt")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).isZero();

    var leaf = TlsMaterial.read(dir.resolve("tls.crt"), dir.resolve("tls.key")).load(vertx).leaf();

    assertThat(leaf.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
        .contains("127.0.0.1", "localhost");
  }
}
