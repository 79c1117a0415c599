package org.openmmsc.mm7;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.openmmsc.core.config.ConfigException;

/**
 * TLS settings of one VASP account, both ways.
 *
 * <p>Toward the VASP (DeliverReq, DeliveryReportReq, ReadReplyReq to its https deliveryUrl):
 * {@code caFile} is what its server certificate must chain to (PEM, one or more certificates;
 * none: the JVM's default trust store), and {@code clientKeyStore} the certificate we present when
 * the VASP asks for one (mutual TLS).
 *
 * <p>From the VASP (requests to our HTTPS listener, which must then ask for client certificates,
 * {@code mm7.tls.clientAuth} OPTIONAL or REQUIRE): {@code certificateSha256} and/or
 * {@code certificateSubject} bind a client certificate to this account. A request with this
 * account's credentials must present that certificate; a request presenting it without
 * credentials is this VASP's.
 *
 * @param caFile                 PEM file of the CAs (or the VASP's own certificate) trusted for its deliveryUrl
 * @param clientKeyStore         PKCS12 or JKS file with our client certificate and key toward this VASP
 * @param clientKeyStorePassword its password (default empty)
 * @param certificateSha256      SHA-256 fingerprint of the client certificate this VASP must present (hex, colons and case ignored)
 * @param certificateSubject     subject DN that certificate must carry (RFC 2253, e.g. {@code CN=news,O=News Ltd}; compared as X.500 names)
 */
public record VaspTls(Path caFile, Path clientKeyStore, String clientKeyStorePassword, String certificateSha256, String certificateSubject) {

    public VaspTls {
        clientKeyStorePassword = clientKeyStorePassword == null ? "" : clientKeyStorePassword;
        if (caFile != null && !Files.isReadable(caFile)) throw new ConfigException("caFile", "cannot read " + caFile);
        if (clientKeyStore != null && !Files.isReadable(clientKeyStore)) throw new ConfigException("clientKeyStore", "cannot read " + clientKeyStore);
        if (certificateSha256 != null) {
            String hex = certificateSha256.replace(":", "").strip().toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new ConfigException("certificateSha256", "must be 64 hex digits (colons allowed), as `openssl x509 -noout -fingerprint -sha256` prints");
            }
            certificateSha256 = hex;
        }
        if (certificateSubject != null) {
            try {
                certificateSubject = new X500Principal(certificateSubject).getName(X500Principal.CANONICAL);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("certificateSubject", "is not an X.500 name such as CN=news,O=News Ltd: " + e.getMessage());
            }
        }
    }

    /** Whether requests from this VASP are tied to a client certificate. */
    public boolean bindsClientCertificate() {
        return certificateSha256 != null || certificateSubject != null;
    }

    /** Whether {@code cert} is the one this account is bound to (every configured property must match). */
    public boolean matches(X509Certificate cert) {
        if (!bindsClientCertificate() || cert == null) return false;
        if (certificateSha256 != null && !certificateSha256.equals(sha256(cert))) return false;
        return certificateSubject == null || certificateSubject.equals(cert.getSubjectX500Principal().getName(X500Principal.CANONICAL));
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding. */
    public static String sha256(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** Whether requests toward the VASP need their own TLS context (else the JVM default is used). */
    public boolean customisesOutbound() {
        return caFile != null || clientKeyStore != null;
    }

    /** The TLS context for connections to this VASP's deliveryUrl; a bad file fails with the key's name. */
    public SSLContext outboundContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int n = 0;
                try (InputStream in = Files.newInputStream(caFile)) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) trust.setCertificateEntry("ca-" + n++, c);
                }
                if (n == 0) throw new ConfigException("caFile", caFile + " holds no PEM certificate");
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (clientKeyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(KeyStore.getInstance(clientKeyStore.toFile(), clientKeyStorePassword.toCharArray()), clientKeyStorePassword.toCharArray());
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException(caFile != null ? "caFile" : "clientKeyStore", "cannot set up TLS toward the VASP: " + e.getMessage());
        }
    }
}
