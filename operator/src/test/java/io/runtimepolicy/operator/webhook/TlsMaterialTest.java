package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runtimepolicy.operator.webhook.TestCertificates.KeyFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TlsMaterialTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void readsEveryKeyFormatHelmAndOpensslWrite(KeyFormat format) throws Exception {
    var pem = TestCertificates.selfSigned("format-" + format, format).writeTo(dir);

    var leaf = TlsMaterial.read(dir.resolve("tls.crt"), dir.resolve("tls.key")).load().leaf();

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
    var material = new TlsMaterial(served.cert(), other.key());

    assertThatThrownBy(() -> material.load())
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("does not belong to certificate CN=served");
  }

  @Test
  void refusesAnEcKeyForAnRsaCertificate() {
    var served = TestCertificates.selfSigned("served", KeyFormat.RSA_PKCS8);
    var other = TestCertificates.selfSigned("other", KeyFormat.EC_PKCS8);
    var material = new TlsMaterial(served.cert(), other.key());

    assertThatThrownBy(() -> material.load()).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void refusesGarbage() throws IOException {
    Files.writeString(
        dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
    Files.writeString(dir.resolve("tls.key"), "not a key");

    var material = TlsMaterial.read(dir.resolve("tls.crt"), dir.resolve("tls.key"));

    assertThatThrownBy(() -> material.load()).isInstanceOf(GeneralSecurityException.class);
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

    var leaf = TlsMaterial.read(dir.resolve("tls.crt"), dir.resolve("tls.key")).load().leaf();

    assertThat(leaf.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
        .contains("127.0.0.1", "localhost");
  }

  /** cert-manager's default encoding for ECDSA keys, which openssl's ecparam writes too. */
  @ParameterizedTest
  @ValueSource(strings = {"prime256v1", "secp384r1", "secp521r1"})
  void readsSec1EcKeys(String curve) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    openssl("ecparam", "-name", curve, "-genkey", "-noout", "-out", "tls.key");
    openssl(
        "req",
        "-x509",
        "-new",
        "-key",
        "tls.key",
        "-days",
        "1",
        "-subj",
        "/CN=" + curve,
        "-out",
        "tls.crt");
    assertThat(Files.readString(dir.resolve("tls.key"))).startsWith("-----BEGIN EC PRIVATE KEY");

    var leaf = TlsMaterial.read(dir.resolve("tls.crt"), dir.resolve("tls.key")).load().leaf();

    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + curve);
  }

  @Test
  void namesTheFormatsItReadsWhenTheKeyIsNoneOfThem() {
    var served = TestCertificates.selfSigned("served", KeyFormat.RSA_PKCS8);
    var material =
        new TlsMaterial(served.cert(), "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END");

    assertThatThrownBy(material::load)
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("PKCS#8")
        .hasMessageContaining("SEC1");
  }

  private void openssl(String... args) throws Exception {
    var command = new java.util.ArrayList<String>(List.of("openssl"));
    command.addAll(List.of(args));
    Process openssl =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue())
        .as(new String(openssl.getInputStream().readAllBytes()))
        .isZero();
  }
}
