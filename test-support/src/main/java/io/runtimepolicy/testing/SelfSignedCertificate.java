package io.runtimepolicy.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA and a serving certificate for 127.0.0.1 and localhost, written as PEM files: what a local
 * webhook needs, and what a ValidatingWebhookConfiguration's caBundle carries.
 */
public record SelfSignedCertificate(Path certFile, Path keyFile, String caPem) {

  public static SelfSignedCertificate create(Path dir) {
    return series(dir, 1).get(0);
  }

  /**
   * {@code count} serving certificates issued by one CA, in {@code dir} for the first and {@code
   * dir/<i>} for the others: what a rotation brings while the registration's caBundle stays.
   */
  public static List<SelfSignedCertificate> series(Path dir, int count) {
    try {
      KeyPair caKeys = rsa();
      X509Certificate ca =
          sign("CN=runtime-policy-test-ca", caKeys, "CN=runtime-policy-test-ca", caKeys, true);
      List<SelfSignedCertificate> issued = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Path to = Files.createDirectories(i == 0 ? dir : dir.resolve(Integer.toString(i)));
        KeyPair serverKeys = rsa();
        X509Certificate server =
            sign("CN=runtime-policy-test-ca", caKeys, "CN=127.0.0.1", serverKeys, false);
        Path cert = Files.writeString(to.resolve("tls.crt"), pem(server));
        Path key = Files.writeString(to.resolve("tls.key"), pem(serverKeys.getPrivate()));
        issued.add(new SelfSignedCertificate(cert, key, pem(ca)));
      }
      return issued;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(
      String issuer, KeyPair issuerKeys, String subject, KeyPair subjectKeys, boolean ca)
      throws IOException,
          GeneralSecurityException,
          org.bouncycastle.operator.OperatorCreationException {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            // Random: certificates of one series are issued within the same millisecond.
            new BigInteger(63, new SecureRandom()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(30))),
            new X500Name(subject),
            subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (!ca) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
