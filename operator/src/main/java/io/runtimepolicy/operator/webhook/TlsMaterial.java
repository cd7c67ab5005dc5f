package io.runtimepolicy.operator.webhook;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A PEM certificate chain and its private key, compared by content. Reading follows symlinks, so a
 * Kubernetes Secret volume's {@code ..data} swap shows up as new content.
 */
record TlsMaterial(Buffer cert, Buffer key) {

  /** A key manager for the pair, and the certificate it serves. */
  record Loaded(X509ExtendedKeyManager keys, X509Certificate leaf) {}

  static TlsMaterial read(Path certFile, Path keyFile) throws IOException {
    return new TlsMaterial(
        Buffer.buffer(Files.readAllBytes(certFile)), Buffer.buffer(Files.readAllBytes(keyFile)));
  }

  /**
   * Parses both (PKCS#1 or PKCS#8 RSA, PKCS#8 or SEC1 EC keys, through Vert.x's PEM reader) and
   * proves the key belongs to the certificate, so a half-updated pair is never served.
   *
   * @throws GeneralSecurityException naming what is wrong, without key material
   */
  Loaded load(Vertx vertx) throws GeneralSecurityException {
    X509ExtendedKeyManager keys = keyManager(vertx);
    String alias =
        Stream.of("RSA", "EC")
            .map(type -> keys.getServerAliases(type, null))
            .filter(aliases -> aliases != null && aliases.length > 0)
            .map(aliases -> aliases[0])
            .findFirst()
            .orElseThrow(() -> new GeneralSecurityException("no RSA or EC key with a certificate"));
    X509Certificate[] chain = keys.getCertificateChain(alias);
    PrivateKey privateKey = keys.getPrivateKey(alias);
    if (chain == null || chain.length == 0 || privateKey == null) {
      throw new GeneralSecurityException("no certificate chain for the private key");
    }
    requireMatch(privateKey, chain[0]);
    return new Loaded(keys, chain[0]);
  }

  private X509ExtendedKeyManager keyManager(Vertx vertx) throws GeneralSecurityException {
    KeyManager[] managers;
    try {
      managers =
          new PemKeyCertOptions()
              .setCertValue(cert)
              .setKeyValue(key)
              .getKeyManagerFactory(vertx)
              .getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw e;
    } catch (Exception e) {
      throw new GeneralSecurityException(
          "cannot read the PEM certificate or key: " + e.getMessage());
    }
    return Stream.of(managers)
        .filter(X509ExtendedKeyManager.class::isInstance)
        .map(X509ExtendedKeyManager.class::cast)
        .findFirst()
        .orElseThrow(() -> new GeneralSecurityException("no X.509 key manager"));
  }

  private static void requireMatch(PrivateKey key, X509Certificate cert)
      throws GeneralSecurityException {
    String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] probe = "runtime-policy-operator key check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    boolean matches;
    try {
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (InvalidKeyException | SignatureException e) {
      matches = false;
    }
    if (!matches) {
      throw new GeneralSecurityException(
          "the private key does not belong to certificate " + cert.getSubjectX500Principal());
    }
  }
}
