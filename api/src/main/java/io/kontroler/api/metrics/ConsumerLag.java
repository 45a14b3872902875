package io.kontroler.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lag of Kafka consumer groups (the api's projection, and any other component's group named in
 * the configuration): records not yet consumed, summed over partitions, refreshed every 15 seconds
 * into the gauge {@code kontroler_consumer_lag{group}}; -1 while the group has committed nothing.
 */
public final class ConsumerLag implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);

  private final Admin admin;
  private final List<String> groups;
  private final Map<String, Long> lag = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kontroler-consumer-lag");
            t.setDaemon(true);
            return t;
          });

  public ConsumerLag(Properties clientProperties, List<String> groups, MeterRegistry registry) {
    this.admin = Admin.create(clientProperties);
    this.groups = List.copyOf(groups);
    for (String group : groups) {
      lag.put(group, -1L);
      Gauge.builder("kontroler.consumer.lag", lag, m -> m.getOrDefault(group, 0L))
          .description("Records not yet consumed by the group, over all partitions")
          .tag("group", group)
          .register(registry);
    }
  }

  public void start() {
    executor.scheduleWithFixedDelay(this::refresh, 0, 15, TimeUnit.SECONDS);
  }

  void refresh() {
    for (String group : groups) {
      try {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        if (committed.isEmpty()) {
          lag.put(group, -1L);
          continue;
        }
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        long total = 0;
        for (var e : committed.entrySet()) {
          if (e.getValue() != null && ends.containsKey(e.getKey())) {
            total += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
          }
        }
        lag.put(group, total);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException
          | java.util.concurrent.TimeoutException
          | org.apache.kafka.common.KafkaException e) {
        LOG.debug("Could not read the lag of group {}: {}", group, e.toString());
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    admin.close(Duration.ofSeconds(5));
  }
}
