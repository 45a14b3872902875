package io.kontroler.cli.bench;

import io.kontroler.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;

/**
 * Starts the bench's broker with properties and feature levels from the command line: {@code
 * feature.<name>=<level>} keys set a feature's level once it runs (for comparing, say, {@code
 * transaction.version} 1 and 2), every other key is a broker property.
 */
final class BrokerFeatures {
  static final String FEATURE_PREFIX = "feature.";

  private BrokerFeatures() {}

  static EmbeddedKafka start(Path dataDir, Map<String, String> overrides) {
    Map<String, String> properties = new HashMap<>();
    Map<String, Short> levels = new HashMap<>();
    overrides.forEach(
        (k, v) -> {
          if (k.startsWith(FEATURE_PREFIX)) {
            levels.put(k.substring(FEATURE_PREFIX.length()), Short.parseShort(v));
          } else {
            properties.put(k, v);
          }
        });
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, properties);
    if (!levels.isEmpty()) {
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        Map<String, FinalizedVersionRange> current =
            admin.describeFeatures().featureMetadata().get().finalizedFeatures();
        Map<String, FeatureUpdate> features = new HashMap<>();
        levels.forEach(
            (name, level) -> {
              FinalizedVersionRange now = current.get(name);
              boolean up = now == null || level > now.maxVersionLevel();
              features.put(
                  name,
                  new FeatureUpdate(
                      level,
                      up
                          ? FeatureUpdate.UpgradeType.UPGRADE
                          : FeatureUpdate.UpgradeType.SAFE_DOWNGRADE));
            });
        admin.updateFeatures(features, new UpdateFeaturesOptions()).all().get();
      } catch (ExecutionException e) {
        kafka.close();
        throw new IllegalStateException("Could not set " + levels + ": " + e.getCause(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kafka.close();
        throw new IllegalStateException("Interrupted while setting broker features", e);
      }
    }
    return kafka;
  }
}
