package io.runtimepolicy.operator.webhook;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's key manager, whose key and certificate can be replaced while it serves. Each
 * handshake asks it for an alias and then for that alias's chain and key; the alias names the
 * generation it came from, so a swap in between still yields a matching pair. Server side only.
 */
final class ReloadableKeyManager extends X509ExtendedKeyManager {
  private record Generation(long id, X509ExtendedKeyManager keys) {}

  private volatile Generation current;
  private volatile Generation previous;

  ReloadableKeyManager(X509ExtendedKeyManager keys) {
    current = new Generation(0, keys);
  }

  synchronized void swap(X509ExtendedKeyManager keys) {
    previous = current;
    current = new Generation(current.id() + 1, keys);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    Generation generation = current;
    return tagged(generation, generation.keys().chooseEngineServerAlias(keyType, issuers, engine));
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    Generation generation = current;
    return tagged(generation, generation.keys().chooseServerAlias(keyType, issuers, socket));
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    Generation generation = current;
    String[] aliases = generation.keys().getServerAliases(keyType, issuers);
    return aliases == null
        ? null
        : Arrays.stream(aliases).map(alias -> tagged(generation, alias)).toArray(String[]::new);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Generation generation = generationOf(alias);
    return generation == null ? null : generation.keys().getCertificateChain(untagged(alias));
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Generation generation = generationOf(alias);
    return generation == null ? null : generation.keys().getPrivateKey(untagged(alias));
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  private static String tagged(Generation generation, String alias) {
    return alias == null ? null : generation.id() + "/" + alias;
  }

  private static String untagged(String alias) {
    return alias.substring(alias.indexOf('/') + 1);
  }

  private Generation generationOf(String alias) {
    if (alias == null || alias.indexOf('/') < 0) {
      return null;
    }
    String id = alias.substring(0, alias.indexOf('/'));
    for (Generation generation : new Generation[] {current, previous}) {
      if (generation != null && id.equals(Long.toString(generation.id()))) {
        return generation;
      }
    }
    return null;
  }
}
