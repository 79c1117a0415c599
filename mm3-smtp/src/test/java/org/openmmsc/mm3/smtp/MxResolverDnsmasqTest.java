package org.openmmsc.mm3.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openmmsc.mm3.testing.Dnsmasq;

/** MX look-up against a real DNS server (dnsmasq on a loopback port, started by the test). */
@Tag("integration")
class MxResolverDnsmasqTest {

    private static List<String> hosts(List<MxResolver.Target> targets) {
        return targets.stream().map(t -> t.host() + "/" + t.address().getHostAddress() + "/" + t.preference()).toList();
    }

    @Test
    void exchangersComeByPreferenceEachWithItsAddresses() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(300,
                "--mx-host=mms.b.test,mx2.b.test,20", "--mx-host=mms.b.test,mx1.b.test,10",
                "--host-record=mx1.b.test,127.0.0.11", "--host-record=mx2.b.test,127.0.0.12,::1")) {
            MxResolver resolver = new MxResolver(dns.server(), Duration.ofSeconds(3));
            List<MxResolver.Target> targets = resolver.mailTargets("mms.b.test").get(5, TimeUnit.SECONDS);
            assertEquals(List.of("mx1.b.test/127.0.0.11/10", "mx2.b.test/0:0:0:0:0:0:0:1/20", "mx2.b.test/127.0.0.12/20"), hosts(targets));
        }
    }

    @Test
    void aDomainWithoutMxIsItsOwnExchanger() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(300, "--host-record=mms.c.test,127.0.0.13")) {
            MxResolver resolver = new MxResolver(dns.server(), Duration.ofSeconds(3));
            assertEquals(List.of("mms.c.test/127.0.0.13/0"), hosts(resolver.mailTargets("mms.c.test").get(5, TimeUnit.SECONDS)));
        }
    }

    @Test
    void aDomainThatDoesNotExistIsAPermanentFailure() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(300, "--host-record=mms.c.test,127.0.0.13")) {
            MxResolver resolver = new MxResolver(dns.server(), Duration.ofSeconds(3));
            ExecutionException e = assertThrows(ExecutionException.class, () -> resolver.mailTargets("mms.nowhere.test").get(5, TimeUnit.SECONDS));
            MxResolver.DnsFailure failure = assertInstanceOf(MxResolver.DnsFailure.class, e.getCause());
            assertTrue(failure.permanent(), failure.getMessage());
            assertTrue(failure.getMessage().contains("no such domain"), failure.getMessage());
        }
    }

    @Test
    void aDnsServerThatDoesNotAnswerIsATransientFailure() throws Exception {
        int silentPort;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            silentPort = s.getLocalPort();
        }
        MxResolver resolver = new MxResolver("127.0.0.1:" + silentPort, Duration.ofMillis(500));
        ExecutionException e = assertThrows(ExecutionException.class, () -> resolver.mailTargets("mms.b.test").get(10, TimeUnit.SECONDS));
        MxResolver.DnsFailure failure = assertInstanceOf(MxResolver.DnsFailure.class, e.getCause());
        assertTrue(!failure.permanent(), failure.getMessage());
    }

    @Test
    void answersAreCachedForTheirTtlAndNoLonger() throws Exception {
        MxResolver longTtl;
        MxResolver shortTtl;
        try (Dnsmasq dns = Dnsmasq.start(300, "--mx-host=mms.b.test,mx1.b.test,10", "--host-record=mx1.b.test,127.0.0.11")) {
            longTtl = new MxResolver(dns.server(), Duration.ofMillis(500));
            assertEquals(1, longTtl.mailTargets("mms.b.test").get(5, TimeUnit.SECONDS).size());
        }
        // The server is gone: the 300 s answers still come from the cache.
        assertEquals(List.of("mx1.b.test/127.0.0.11/10"), hosts(longTtl.mailTargets("mms.b.test").get(5, TimeUnit.SECONDS)));

        try (Dnsmasq dns = Dnsmasq.start(1, "--mx-host=mms.b.test,mx1.b.test,10", "--host-record=mx1.b.test,127.0.0.11")) {
            shortTtl = new MxResolver(dns.server(), Duration.ofMillis(500));
            assertEquals(1, shortTtl.mailTargets("mms.b.test").get(5, TimeUnit.SECONDS).size());
        }
        Thread.sleep(2_100);
        // 1 s answers have expired, and the server is gone: the look-up must go to the network and fail.
        ExecutionException e = assertThrows(ExecutionException.class, () -> shortTtl.mailTargets("mms.b.test").get(10, TimeUnit.SECONDS));
        assertInstanceOf(MxResolver.DnsFailure.class, e.getCause());
    }
}
