package io.serendip.runtime.router;

import io.serendip.config.ArmSettings;
import io.serendip.config.ConfigValidator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Deterministic user-to-arm assignment: SHA-256 of (salt, user key) picks a bucket in
 * [0, 10000); arms own consecutive bucket ranges sized by their weights in basis points, in config
 * order. The same user, salt and weights give the same arm in every replica and after restarts.
 */
public final class ArmAssigner {
    // One digest per thread (digest() resets it): a lookup of the provider per request showed in profiles.
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(ArmAssigner::sha256);

    private final List<ArmSettings> arms;
    private final int[] upperBounds;

    public ArmAssigner(List<ArmSettings> arms) {
        this.arms = List.copyOf(arms);
        this.upperBounds = new int[arms.size()];
        int cumulative = 0;
        for (int i = 0; i < arms.size(); i++) {
            cumulative += arms.get(i).weightBasisPoints();
            upperBounds[i] = cumulative;
        }
        if (cumulative != ConfigValidator.TOTAL_BASIS_POINTS) {
            throw new IllegalArgumentException("arm weights must sum to 10000 basis points (got " + cumulative + ")");
        }
    }

    /** The user's bucket in [0, 10000). */
    public static int bucket(String salt, String userKey) {
        MessageDigest sha = SHA_256.get();
        sha.update(salt.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(userKey.getBytes(StandardCharsets.UTF_8));
        long prefix = ByteBuffer.wrap(sha.digest()).getLong();
        return (int) Long.remainderUnsigned(prefix, ConfigValidator.TOTAL_BASIS_POINTS);
    }

    /** The arm owning the given bucket. */
    public ArmSettings armForBucket(int bucket) {
        for (int i = 0; i < upperBounds.length; i++) {
            if (bucket < upperBounds[i]) {
                return arms.get(i);
            }
        }
        throw new IllegalArgumentException("bucket out of range: " + bucket);
    }

    public ArmSettings assign(String salt, String userKey) {
        return armForBucket(bucket(salt, userKey));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
