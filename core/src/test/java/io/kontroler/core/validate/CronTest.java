package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "*/5 * * * * | 0 */5 * * * ?",
        "0 2 * * * | 0 0 2 * * ?",
        "30 9 * * 1-5 | 0 30 9 ? * 2-6",
        "0 0 1 JAN * | 0 0 0 1 1 ?",
        "@hourly | 0 0 * * * ?",
        "@daily | 0 0 0 * * ?",
        "* * * * * * | * * * * * ?",
        "0 12 * * SUN,0 | 0 0 12 ? * 1,1",
        "0 0 * * 5-7 | 0 0 0 ? * 6-7,1",
        "0 0 * * 6-7 | 0 0 0 ? * 7,1",
        "0 0 ? * 1 | 0 0 0 ? * 2",
      })
  void convertsUnixCronToOneQuartzExpression(String cron, String quartz) {
    assertThat(Cron.problems(cron)).isEmpty();
    assertThat(Cron.toQuartz(cron)).containsExactly(quartz);
  }

  @Test
  void bothDayFieldsBecomeOneQuartzExpressionPerDayField() {
    assertThat(Cron.toQuartz("0 0 1,15 * 1")).containsExactly("0 0 0 1,15 * ?", "0 0 0 ? * 2");
    assertThat(Cron.toQuartz("15 30 6 13 * FRI"))
        .containsExactly("15 30 6 13 * ?", "15 30 6 ? * 6");
  }

  @Test
  void namesTheOffendingValue() {
    assertThat(Cron.problems("0 24 * * *"))
        .containsExactly("hour field '24': Value 24 not in range [0, 23]");
    assertThat(Cron.problems("0 0 0 * *"))
        .singleElement()
        .asString()
        .startsWith("day-of-month field '0': ");
    assertThat(Cron.problems("0 0 * FOO *"))
        .singleElement()
        .asString()
        .startsWith("month field 'FOO': ");
    assertThat(Cron.problems("*/0 * * * *"))
        .singleElement()
        .asString()
        .startsWith("minute field '*/0': ");
    assertThat(Cron.problems("61 24 * * *")).hasSize(2);
    assertThat(Cron.problems("0 0 * * 6-1"))
        .singleElement()
        .asString()
        .startsWith("day-of-week field '6-1': ");
    assertThat(Cron.problems("* * *")).singleElement().asString().startsWith("expected 5 fields");
    assertThat(Cron.problems(null)).singleElement().asString().startsWith("expected 5 fields");
  }

  @Test
  void rejectsWhatUnixCronDoesNotKnow() {
    for (String quartzOnly : List.of("0 0 L * *", "0 0 * * 5L", "0 0 1W * *", "0 0 * * 1#2")) {
      assertThat(Cron.problems(quartzOnly)).as(quartzOnly).isNotEmpty();
    }
  }
}
