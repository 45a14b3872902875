package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.DeadInstanceFencerProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker: the open transaction of an instance that is not in the group is rolled back at
 * once, and that of an instance in the group is left alone.
 */
class DeadInstanceFencerIT {
  private static final String APP = "fencer-it";
  private static final String TOPIC = "fencer-it-out";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = io.kontroler.testkafka.TestKafka.start(dir.resolve("broker"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void aDeadInstancesOpenTransactionIsRolledBackAndALiveOnesIsNot() throws Exception {
    String live = UUID.randomUUID().toString();
    String dead = UUID.randomUUID().toString();
    try (KafkaProducer<String, String> deadProducer = openTransaction(APP + "-" + dead + "-1");
        KafkaProducer<String, String> liveProducer = openTransaction(APP + "-" + live + "-1");
        KafkaConsumer<String, String> member =
            member(APP + "-" + live + "-StreamThread-1-consumer");
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> ongoing(admin).size() == 2);

      List<String> fenced = DeadInstanceFencerProbe.fenceDead(kafka.bootstrapServers(), APP);

      assertThat(fenced).containsExactly(APP + "-" + dead + "-1");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(ongoing(admin)).containsExactly(APP + "-" + live + "-1"));
      assertThatThrownBy(deadProducer::commitTransaction).isInstanceOf(KafkaException.class);
      liveProducer.commitTransaction();
    }
  }

  private static List<String> ongoing(Admin admin) throws Exception {
    return admin
        .listTransactions(
            new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
        .all()
        .get()
        .stream()
        .map(TransactionListing::transactionalId)
        .filter(id -> id.startsWith(APP))
        .sorted()
        .toList();
  }

  private static KafkaProducer<String, String> openTransaction(String transactionalId)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    producer.initTransactions();
    producer.beginTransaction();
    producer.send(new ProducerRecord<>(TOPIC, "k", transactionalId)).get();
    return producer;
  }

  /** A member of the application's group with a Streams thread's client id, joined. */
  private static KafkaConsumer<String, String> member(String clientId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, APP);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    consumer.subscribe(List.of(TOPIC));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(100));
              return !consumer.assignment().isEmpty();
            });
    return consumer;
  }
}
