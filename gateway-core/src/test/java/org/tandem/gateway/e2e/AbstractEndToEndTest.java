package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * The fixture of the end-to-end tests that drive one in-process gateway with sipp: one
 * {@link E2eGateway} per test class, started before its first test on the options and
 * configuration overrides the subclass passes to the constructor, with one RTP peer ({@link #rtp})
 * for sipp to advertise in its SDP; the D-channels are up before any test runs; gateway and peers
 * are closed after the last test. The class is skipped where sipp is not installed. Before each
 * test every peer is cleared behind the previous calls' RTP ({@link RtpPeer#clear}).
 *
 * <p>JUnit runs this class's {@code @BeforeAll}/{@code @BeforeEach} before a subclass's and its
 * {@code @AfterAll} after: a subclass's own set-up finds the gateway up, its tear-down finds it
 * still running. A subclass needing more RTP peers makes them with {@link #addRtpPeer()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractEndToEndTest {
    private final Gateway.Options options;
    private final String[] overrides;
    private final List<RtpPeer> peers = new ArrayList<>();
    /** The gateway under test (null until started). */
    E2eGateway gw;
    /** The media end of the SIP peer: sipp advertises its port ({@code -key rtpport}). */
    RtpPeer rtp;

    /**
     * @param options   the gateway's start options for this class
     * @param overrides configuration overrides on top of the shipped configuration and
     *                  {@link E2eGateway#start}'s own (ports, CDR directory)
     */
    AbstractEndToEndTest(Gateway.Options options, String... overrides) {
        this.options = options;
        this.overrides = overrides.clone();
    }

    @BeforeAll
    final void startGateway() throws Exception {
        assumeTrue(SippRunner.available(), "sipp is not installed (bin/setup-debian installs it)");
        gw = E2eGateway.start(options, overrides);
        rtp = addRtpPeer();
        assertTrue(gw.awaitSpansUp(10_000), "D-channels did not come up");
    }

    /** Another RTP peer, cleared before each test and closed with the gateway. */
    final RtpPeer addRtpPeer() throws SocketException {
        RtpPeer peer = new RtpPeer();
        peers.add(peer);
        return peer;
    }

    @BeforeEach
    final void clearRtpPeers() {
        for (RtpPeer peer : peers) {
            peer.clear();
        }
    }

    @AfterAll
    final void stopGateway() {
        try {
            for (RtpPeer peer : peers) {
                peer.close();
            }
        } finally {
            if (gw != null) {
                gw.close();
            }
        }
    }
}
