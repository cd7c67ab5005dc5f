package io.runtimepolicy.operator.webhook;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPrivateKeySpec;
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
  // PKCS#8's version and rsaEncryption's AlgorithmIdentifier, to wrap a PKCS#1 key (what Helm's
  // genSignedCert writes) as PKCS#8.
  private static final byte[] RSA_PKCS8_HEAD =
      HexFormat.of().parseHex("020100300d06092a864886f70d0101010500");

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
    PrivateKey privateKey = privateKey(chain.get(0));
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

  private PrivateKey privateKey(X509Certificate leaf) throws GeneralSecurityException {
    Matcher pem = KEY.matcher(key);
    if (!pem.find()) {
      throw new GeneralSecurityException(
          "no PEM PRIVATE KEY (PKCS#8), RSA PRIVATE KEY (PKCS#1) or EC PRIVATE KEY (SEC1) block");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
      String type = pem.group(1) == null ? "" : pem.group(1).trim();
      if (type.equals("EC")) {
        return KeyFactory.getInstance("EC").generatePrivate(sec1(der, leaf));
      }
      byte[] pkcs8 = type.equals("RSA") ? der(0x30, RSA_PKCS8_HEAD, der(0x04, der)) : der;
      for (String algorithm : List.of("RSA", "EC")) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException notThisOne) {
          // try the next algorithm
        }
      }
      throw new GeneralSecurityException("the private key is neither an RSA nor an EC key");
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new GeneralSecurityException("the private key is not valid PEM: " + e.getMessage());
    }
  }

  // SEC1 is SEQUENCE { INTEGER 1, OCTET STRING scalar, ... }; its curve is the certificate's, which
  // the match check then proves.
  private static ECPrivateKeySpec sec1(byte[] der, X509Certificate leaf)
      throws GeneralSecurityException {
    int at = (der[1] & 0x80) == 0 ? 2 : 2 + (der[1] & 0x7f);
    if (der[0] != 0x30
        || der[at] != 2
        || der[at + 1] != 1
        || der[at + 3] != 4
        || !(leaf.getPublicKey() instanceof ECPublicKey certificateKey)) {
      throw new GeneralSecurityException(
          "the EC private key is not SEC1 for the certificate's curve");
    }
    byte[] scalar = Arrays.copyOfRange(der, at + 5, at + 5 + (der[at + 4] & 0xff));
    return new ECPrivateKeySpec(new BigInteger(1, scalar), certificateKey.getParams());
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
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signer.sign());
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new GeneralSecurityException(
          "the private key does not belong to certificate " + cert.getSubjectX500Principal());
    }
  }
}
