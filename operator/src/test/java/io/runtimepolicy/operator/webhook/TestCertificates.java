package io.runtimepolicy.operator.webhook;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed serving certificates for 127.0.0.1 and localhost, written as PEM like Helm does. */
final class TestCertificates {

  enum KeyFormat {
    /** "RSA PRIVATE KEY", what Helm's genSignedCert writes. */
    RSA_PKCS1,
    RSA_PKCS8,
    EC_PKCS8
  }

  record Pem(String cert, String key, X509Certificate certificate) {
    /** Writes tls.crt and tls.key into {@code dir}. */
    Pem writeTo(Path dir) {
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tls.crt"), cert);
        Files.writeString(dir.resolve("tls.key"), key);
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    SSLContext trustingIt() {
      try {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("webhook", certificate);
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestCertificates() {}

  static Pem selfSigned(String commonName, KeyFormat format) {
    try {
      KeyPair keys = keyPair(format);
      X509Certificate cert = certificate(commonName, keys, format == KeyFormat.EC_PKCS8);
      return new Pem(pem(cert), keyPem(keys, format), cert);
    } catch (GeneralSecurityException
        | IOException
        | org.bouncycastle.operator.OperatorException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair(KeyFormat format) throws GeneralSecurityException {
    if (format == KeyFormat.EC_PKCS8) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(String commonName, KeyPair keys, boolean ec)
      throws GeneralSecurityException, IOException, org.bouncycastle.operator.OperatorException {
    X500Name subject = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            subject,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost")
            }));
    var signer =
        new JcaContentSignerBuilder(ec ? "SHA256withECDSA" : "SHA256withRSA")
            .build(keys.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static String keyPem(KeyPair keys, KeyFormat format) throws IOException {
    if (format == KeyFormat.RSA_PKCS1) {
      return pem(keys.getPrivate());
    }
    return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
