package org.openmmsc.core.spi;

import java.time.Instant;
import java.util.Objects;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RouteKind;

/** Charging hooks (MM8 CDRs, MM9 online charging) fed by the relay. */
public interface ChargingEvents {

    void record(ChargingEvent event);

    /** @param chargedParty who pays, as the sender said (MM7 ChargedParty); null when it did not */
    record ChargingEvent(Type type, MessageId messageId, Interface origin, Address originator, Address recipient,
                         RouteKind route, long contentSize, Instant at, String detail, org.openmmsc.core.model.ChargedParty chargedParty) {
        public enum Type { SUBMITTED, DELIVERED, EXPIRED, REJECTED, FAILED, CANCELLED }

        public ChargingEvent {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(at, "at");
        }
    }
}
