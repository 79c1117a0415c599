package org.openmmsc.mm7;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.openmmsc.core.config.ConfigException;

/**
 * HTTPS on the MM7 listener, so Basic credentials never travel in clear.
 *
 * @param keyStore           PKCS12 (or JKS) file with the server's certificate and private key
 * @param keyStorePassword   its password
 * @param trustStore         certificates of the CAs (or the VASPs' own certificates) accepted for client certificates
 * @param trustStorePassword its password
 * @param clientAuth         NONE, OPTIONAL or REQUIRE a client certificate (mutual TLS); REQUIRE needs a trustStore
 */
public record Mm7Tls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword, ClientCertificates clientAuth) {

    public enum ClientCertificates { NONE, OPTIONAL, REQUIRE }

    public Mm7Tls {
        if (keyStore == null) throw new ConfigException("keyStore", "HTTPS needs a key store with the server certificate");
        keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
        trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
        clientAuth = clientAuth == null ? ClientCertificates.NONE : clientAuth;
        if (clientAuth != ClientCertificates.NONE && trustStore == null) {
            throw new ConfigException("trustStore", "client certificates (" + clientAuth + ") need a trust store to check them against");
        }
    }

    /** Builds the Netty server context; a missing or unreadable store fails start-up with the key's path. */
    public SslContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load("keyStore", keyStore, keyStorePassword), keyStorePassword.toCharArray());
            SslContextBuilder b = SslContextBuilder.forServer(kmf).protocols("TLSv1.3", "TLSv1.2");
            if (trustStore != null) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load("trustStore", trustStore, trustStorePassword));
                b.trustManager(tmf);
            }
            b.clientAuth(switch (clientAuth) {
                case NONE -> ClientAuth.NONE;
                case OPTIONAL -> ClientAuth.OPTIONAL;
                case REQUIRE -> ClientAuth.REQUIRE;
            });
            return b.build();
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException("keyStore", "cannot set up HTTPS from " + keyStore + ": " + e.getMessage());
        }
    }

    private static KeyStore load(String key, Path file, String password) {
        if (!Files.isReadable(file)) throw new ConfigException(key, "cannot read " + file);
        try {
            // KeyStore.getInstance(File…) detects PKCS12 and JKS by content.
            return KeyStore.getInstance(file.toFile(), password.toCharArray());
        } catch (Exception e) {
            throw new ConfigException(key, "cannot load " + file + ": " + e.getMessage());
        }
    }
}
