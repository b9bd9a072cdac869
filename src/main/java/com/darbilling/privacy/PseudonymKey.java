package com.darbilling.privacy;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret key of end-user pseudonyms. A pseudonym is
 * {@code hex(HMAC-SHA256(key, site_id + "\n" + consumer_id))}, UTF-8: keyed, so nobody without the
 * key can test a guessed phone number; per site, so one person on two sites is two pseudonyms.
 */
public final class PseudonymKey implements Serializable {
    public static final String ENVIRONMENT_VARIABLE = "BILLING_PSEUDONYM_KEY";
    /** The key of `jobs/billing demo` only: public, so its pseudonyms protect nothing. */
    public static final String DEMO_KEY = "dar-billing-DEMO-key-public-never-use-for-real-data";
    public static final int MINIMUM_BYTES = 16;
    private static final long serialVersionUID = 1L;
    private static final String ALGORITHM = "HmacSHA256";
    /**
     * The message of {@link #fingerprint()}. It holds no newline, so no (site, end user) pair has it
     * as its pseudonym's message: the fingerprint is never anybody's pseudonym.
     */
    public static final String FINGERPRINT_LABEL = "dar-billing key fingerprint v1";

    private final byte[] key;
    private final boolean demo;
    /** Mac is not thread-safe; tasks of one executor share this object. Read without a lock on every HMAC. */
    private transient volatile ThreadLocal<Mac> macs;

    private PseudonymKey(byte[] key, boolean demo) {
        if (key.length < MINIMUM_BYTES) {
            throw new IllegalArgumentException("the pseudonym key must have at least " + MINIMUM_BYTES + " bytes, found " + key.length);
        }
        this.key = key.clone();
        this.demo = demo;
    }

    public static PseudonymKey of(String secret) {
        return new PseudonymKey(secret.strip().getBytes(StandardCharsets.UTF_8), false);
    }

    public static PseudonymKey demo() {
        return new PseudonymKey(DEMO_KEY.getBytes(StandardCharsets.UTF_8), true);
    }

    public boolean isDemo() {
        return demo;
    }

    /** The pseudonym of one end user of one site; null when the consumer id is null. */
    public String pseudonym(String siteId, String consumerId) {
        if (consumerId == null) {
            return null;
        }
        byte[] message = ((siteId == null ? "" : siteId) + "\n" + consumerId).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(mac().doFinal(message));
    }

    /**
     * {@code hex(HMAC-SHA256(key, FINGERPRINT_LABEL))}: tells two keys apart without revealing either;
     * the warehouse stores it to refuse a run with another key than the one its pseudonyms were made with.
     */
    public String fingerprint() {
        return HexFormat.of().formatHex(mac().doFinal(FINGERPRINT_LABEL.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac mac() {
        ThreadLocal<Mac> perThread = macs;
        if (perThread == null) {
            synchronized (this) {
                if (macs == null) {
                    macs = ThreadLocal.withInitial(this::newMac);
                }
                perThread = macs;
            }
        }
        return perThread.get();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return demo ? "PseudonymKey[demo]" : "PseudonymKey[secret]";
    }
}
