package org.openmmsc.mm1.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.NumberingConfig;
import org.openmmsc.core.model.Address;

class SubscriberIdentityTest {
    private static final InetAddress V4 = InetAddress.getLoopbackAddress();

    private static Optional<Address> resolve(List<String> trusted, InetAddress source, String header, String value) throws Exception {
        return new SubscriberIdentity(List.of("X-MSISDN", "X-WAP-Network-Client-MSISDN"), trusted, NumberingConfig.defaults().normalizer())
                .resolve(source, name -> name.equalsIgnoreCase(header) ? value : null);
    }

    @Test
    void onlyConfiguredGatewaysAreBelievedAndTheNumberIsNormalised() throws Exception {
        assertEquals(Optional.of(Address.plmn("+4790000001")), resolve(List.of("127.0.0.0/8"), V4, "X-WAP-Network-Client-MSISDN", "4790000001"));
        assertEquals(Optional.empty(), resolve(List.of(), V4, "X-MSISDN", "+4790000001"));
        assertEquals(Optional.empty(), resolve(List.of("::1/128"), V4, "X-MSISDN", "+4790000001"));
        assertEquals(Optional.of(Address.plmn("+4790000001")), resolve(List.of("::1/128"), InetAddress.getByName("::1"), "X-MSISDN", "+4790000001"));
        assertEquals(Optional.empty(), resolve(List.of("127.0.0.0/8"), InetAddress.getByName("198.51.100.4"), "X-MSISDN", "+4790000001"));
        assertEquals(Optional.empty(), resolve(List.of("127.0.0.0/8"), V4, "X-MSISDN", "not-a-number"));
        assertEquals(Optional.empty(), resolve(List.of("127.0.0.0/8"), V4, "X-Other", "+4790000001"));
    }

    @Test
    void anOperatorsGatewayNetworkIsTrustedAndNothingBeside() throws Exception {
        List<String> gateways = List.of("10.20.0.0/16", "2001:db8:7::/48");
        assertEquals(Optional.of(Address.plmn("+4790000001")), resolve(gateways, InetAddress.getByName("10.20.3.4"), "X-MSISDN", "+4790000001"));
        assertEquals(Optional.of(Address.plmn("+4790000001")), resolve(gateways, InetAddress.getByName("2001:db8:7::9"), "X-MSISDN", "+4790000001"));
        assertEquals(Optional.empty(), resolve(gateways, InetAddress.getByName("10.21.0.1"), "X-MSISDN", "+4790000001"));
        assertEquals(Optional.empty(), resolve(gateways, V4, "X-MSISDN", "+4790000001"));
    }
}
