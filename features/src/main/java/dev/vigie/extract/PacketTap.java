package dev.vigie.extract;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodeResult;
import dev.vigie.decode.DecodedPacket;

/**
 * Sees every decoded frame before the flow table does, IP or not: the place for observers of the link itself
 * (ARP bindings, name announcements) that flows cannot show. Called on the packet loop's thread with the loop's
 * reused objects: a tap must not keep them, must not throw, must not allocate per frame in steady state.
 */
@FunctionalInterface
public interface PacketTap {
    void onFrame(DecodeResult result, DecodedPacket packet, CapturedPacket frame);
}
