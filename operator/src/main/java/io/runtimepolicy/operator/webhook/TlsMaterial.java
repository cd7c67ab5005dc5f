package io.runtimepolicy.operator.webhook;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM certificate chain and its private key, compared by content. Reading follows symlinks, so a
 * Kubernetes Secret volume's {@code ..data} swap shows up as new content.
 */
record TlsMaterial(String cert, String key) {
  private static final Pattern KEY =
      Pattern.compile("-----BEGIN (RSA |EC )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END");
  // PKCS#8's version and the key's AlgorithmIdentifier, to wrap a PKCS#1 key (Helm's genSignedCert
  // writes one) or a SEC1 key (cert-manager's default encoding for ECDSA) as PKCS#8.
  private static final byte[] RSA_PKCS8_HEAD =
      HexFormat.of().parseHex("020100300d06092a864886f70d0101010500");
  private static final byte[] EC_PKCS8_HEAD = HexFormat.of().parseHex("020100");
  private static final byte[] EC_ALGORITHM = HexFormat.of().parseHex("06072a8648ce3d0201");

  /** A server TLS context for the pair (TLS 1.2 and 1.3, no ALPN), and the certificate served. */
  record Loaded(SslContext context, X509Certificate leaf) {
    String describe() {
      return leaf.getSubjectX500Principal() + " valid until " + leaf.getNotAfter().toInstant();
    }
  }

  static TlsMaterial read(Path certFile, Path keyFile) throws IOException {
    return new TlsMaterial(Files.readString(certFile), Files.readString(keyFile));
  }

  /**
   * Parses both (PKCS#1 or PKCS#8 RSA, PKCS#8 or SEC1 EC keys) and proves the key belongs to the
   * certificate, so a half-updated pair is never served.
   *
   * @throws GeneralSecurityException naming what is wrong, without key material
   */
  Loaded load() throws GeneralSecurityException {
    var certificates = new ByteArrayInputStream(cert.getBytes(StandardCharsets.US_ASCII));
    List<X509Certificate> chain =
        CertificateFactory.getInstance("X.509").generateCertificates(certificates).stream()
            .map(X509Certificate.class::cast)
            .toList();
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate in the certificate file");
    }
    PrivateKey privateKey = privateKey();
    requireMatch(privateKey, chain.get(0));
    try {
      return new Loaded(
          SslContextBuilder.forServer(privateKey, chain)
              .sslProvider(SslProvider.JDK)
              .protocols("TLSv1.3", "TLSv1.2")
              .build(),
          chain.get(0));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot build the TLS context: " + e.getMessage());
    }
  }

  private PrivateKey privateKey() throws GeneralSecurityException {
    Matcher pem = KEY.matcher(key);
    if (!pem.find()) {
      throw new GeneralSecurityException(
          "no PEM PRIVATE KEY (PKCS#8), RSA PRIVATE KEY (PKCS#1) or EC PRIVATE KEY (SEC1) block");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
      String type = pem.group(1) == null ? "" : pem.group(1).trim();
      return switch (type) {
        case "RSA" -> rsa(der(0x30, RSA_PKCS8_HEAD, der(0x04, der)));
        case "EC" -> ec(der(0x30, EC_PKCS8_HEAD, ecAlgorithm(sec1Curve(der)), der(0x04, der)));
        default -> {
          try {
            yield rsa(der);
          } catch (GeneralSecurityException notRsa) {
            yield ec(der);
          }
        }
      };
    } catch (IllegalArgumentException | IndexOutOfBoundsException | BufferUnderflowException e) {
      throw new GeneralSecurityException("the private key is not valid PEM: " + e.getMessage());
    }
  }

  private static PrivateKey rsa(byte[] pkcs8) throws GeneralSecurityException {
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  private static PrivateKey ec(byte[] pkcs8) throws GeneralSecurityException {
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  // SEC1: SEQUENCE { INTEGER 1, OCTET STRING key, [0] { OID curve }, ... }; the curve's OID body.
  private static byte[] sec1Curve(byte[] der) throws GeneralSecurityException {
    ByteBuffer in = ByteBuffer.wrap(der);
    expect(in, 0x30);
    for (int skipped : new int[] {0x02, 0x04}) {
      int length = expect(in, skipped);
      in.position(in.position() + length);
    }
    expect(in, 0xa0);
    byte[] curve = new byte[expect(in, 0x06)];
    in.get(curve);
    return curve;
  }

  /** Reads a tag, which must be {@code tag}, and its length. */
  private static int expect(ByteBuffer in, int tag) throws GeneralSecurityException {
    if ((in.get() & 0xff) != tag) {
      throw new GeneralSecurityException("the EC private key is not SEC1 with a named curve");
    }
    int length = in.get() & 0xff;
    if (length > 0x80) {
      int value = 0;
      for (int i = length & 0x7f; i > 0; i--) {
        value = (value << 8) | (in.get() & 0xff);
      }
      return value;
    }
    return length;
  }

  private static byte[] ecAlgorithm(byte[] curve) {
    return der(0x30, EC_ALGORITHM, der(0x06, curve));
  }

  private static byte[] der(int tag, byte[]... parts) {
    var content = new ByteArrayOutputStream();
    Arrays.stream(parts).forEach(content::writeBytes);
    int length = content.size();
    var out = new ByteArrayOutputStream();
    out.write(tag);
    int bytes = length < 0x80 ? 0 : (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
    out.write(bytes == 0 ? length : 0x80 | bytes);
    for (int i = bytes - 1; i >= 0; i--) {
      out.write(length >>> (8 * i));
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  private static void requireMatch(PrivateKey key, X509Certificate cert)
      throws GeneralSecurityException {
    String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] probe = "runtime-policy-operator key check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    if (!verifies(algorithm, cert, probe, signature)) {
      throw new GeneralSecurityException(
          "the private key does not belong to certificate " + cert.getSubjectX500Principal());
    }
  }

  private static boolean verifies(String algorithm, X509Certificate cert, byte[] data, byte[] sig) {
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(data);
      return verifier.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
