package org.tandem.simexchange;

/** DTMF digits the exchange detects in what the gateway sends. Called on the card's clock thread: must not block. */
@FunctionalInterface
public interface DigitListener {
    void onDigit(int chanpos, char digit);
}
