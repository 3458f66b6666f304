package io.serendip.runtime.router;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed request ids: what the router served is written into the id it hands out, and an HMAC-SHA256 tag (truncated
 * to 128 bits) proves that a router holding the same key issued it. So any replica can check feedback for a slate
 * another replica served without shared state, and a client cannot invent a slate or change what it held.
 *
 * <p>Format: {@code base64url(payload) "." base64url(tag)}, payload {@code v1~issuedAtMillis~issuer~arm~items~explored
 * ~qa~nonce} (numbers in base 36). Arm names and issuer addresses never contain {@code ~}.
 */
final class RequestIds {
    static final int MIN_KEY_BYTES = 32;
    private static final int TAG_BYTES = 16;
    private static final int MAX_ID_LENGTH = 512;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** What an id says was served. */
    record Served(long issuedAtMillis, String issuer, String arm, int items, int explored, boolean qa, long nonce) {
    }

    /** Why an id was refused. */
    enum Refusal {
        /** Not issued by a router holding this key (malformed, forged or altered). */
        UNKNOWN,
        /** Issued longer ago than the feedback window. */
        EXPIRED
    }

    /** The outcome of {@link #check}: exactly one of the two is set. */
    record Checked(Served served, Refusal refusal) {
    }

    private final byte[] key;
    private final ThreadLocal<Mac> macs;

    RequestIds(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("request id key: at least " + MIN_KEY_BYTES + " bytes (got " + key.length + ")");
        }
        this.key = key.clone();
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A key of random bytes, for a router whose config names no key file. */
    static byte[] randomKey() {
        byte[] key = new byte[MIN_KEY_BYTES];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    String issue(long nowMillis, String issuer, String arm, int items, int explored, boolean qa) {
        String payload = "v1~" + Long.toString(nowMillis, 36) + "~" + issuer + "~" + arm + "~"
                + Integer.toString(items, 36) + "~" + Integer.toString(explored, 36) + "~" + (qa ? "1" : "0") + "~"
                + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        String encoded = ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return encoded + "." + ENCODER.encodeToString(tag(encoded));
    }

    /** Checks the tag, then the age against {@code windowMillis}; an id from the future (beyond a minute's clock skew) is unknown. */
    Checked check(String id, long nowMillis, long windowMillis) {
        Served served = id == null || id.length() > MAX_ID_LENGTH ? null : verify(id);
        if (served == null || served.issuedAtMillis() > nowMillis + 60_000) {
            return new Checked(null, Refusal.UNKNOWN);
        }
        if (nowMillis - served.issuedAtMillis() > windowMillis) {
            return new Checked(null, Refusal.EXPIRED);
        }
        return new Checked(served, null);
    }

    private Served verify(String id) {
        int dot = id.indexOf('.');
        if (dot <= 0 || dot != id.lastIndexOf('.')) {
            return null;
        }
        String encoded = id.substring(0, dot);
        try {
            byte[] tag = DECODER.decode(id.substring(dot + 1));
            if (!MessageDigest.isEqual(tag, tag(encoded))) {
                return null;
            }
            String[] f = new String(DECODER.decode(encoded), StandardCharsets.UTF_8).split("~", -1);
            if (f.length != 8 || !f[0].equals("v1")) {
                return null;
            }
            return new Served(Long.parseLong(f[1], 36), f[2], f[3], Integer.parseInt(f[4], 36),
                    Integer.parseInt(f[5], 36), f[6].equals("1"), Long.parseLong(f[7], 36));
        } catch (IllegalArgumentException e) { // bad base64 or number; NumberFormatException is one
            return null;
        }
    }

    private byte[] tag(String encoded) {
        Mac mac = macs.get();
        return Arrays.copyOf(mac.doFinal(encoded.getBytes(StandardCharsets.US_ASCII)), TAG_BYTES);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
