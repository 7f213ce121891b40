//! Quizzes: the question bank, attempts, answers and the figures drawn from them.

use chrono::{DateTime, Utc};

use super::{BeginWrite, Store, StoreError, execute, on_pool};
use crate::domain::{Audience, QuestionId, QuizQuestion};

/// One person's run through a quiz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub id: i64,
    pub subscriber_id: i64,
    pub chat_id: i64,
    pub period: String,
    /// The first attempt in its period: the one rankings count.
    pub ranked: bool,
    pub questions: Vec<QuestionId>,
    /// Index of the question waiting for an answer (`== questions.len()` when finished).
    pub position: usize,
    pub score: i64,
    pub finished: bool,
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    id: i64,
    subscriber_id: i64,
    chat_id: i64,
    period: String,
    ranked: bool,
    questions: String,
    position: i32,
    score: i32,
    finished_at: Option<DateTime<Utc>>,
}

impl TryFrom<AttemptRow> for Attempt {
    type Error = StoreError;
    fn try_from(row: AttemptRow) -> Result<Self, StoreError> {
        Ok(Attempt {
            id: row.id,
            subscriber_id: row.subscriber_id,
            chat_id: row.chat_id,
            period: row.period,
            ranked: row.ranked,
            questions: serde_json::from_str(&row.questions)
                .map_err(|e| StoreError::Corrupt(format!("attempt: {e}")))?,
            position: usize::try_from(row.position).unwrap_or(0),
            score: i64::from(row.score),
            finished: row.finished_at.is_some(),
        })
    }
}

const ATTEMPT_COLUMNS: &str =
    "id, subscriber_id, chat_id, period, ranked, questions, position, score, finished_at";

/// What pressing an answer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerOutcome {
    Recorded {
        correct: bool,
        attempt: Attempt,
    },
    /// That question already has an answer: nothing counted twice.
    AlreadyAnswered,
    /// Not the question the attempt is waiting for (an old message, or a forged button).
    NotCurrent,
}

/// A participant's place in their township for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub score: i64,
    pub total: i64,
    pub rank: i64,
    pub participants: i64,
    pub township_code: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TownshipScore {
    pub township_code: String,
    pub participants: i64,
    /// Mean share of correct answers, 0 to 1.
    pub average: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EnterpriseScore {
    pub enterprise_name: String,
    pub score: i32,
    pub total: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QuestionRate {
    pub question_id: String,
    pub answers: i64,
    pub correct: i64,
}

const RANKED_FINISHED: &str = "a.period = $1 AND a.ranked AND a.finished_at IS NOT NULL";

impl Store {
    /// Adds or updates questions. With `retire_missing`, the active bank becomes exactly these
    /// questions and the others are retired (their answers keep them).
    pub async fn import_questions(
        &self,
        questions: &[QuizQuestion],
        retire_missing: bool,
    ) -> Result<usize, StoreError> {
        let now = Utc::now();
        let before = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let before: Vec<String> =
                sqlx::query_scalar("SELECT id FROM quiz_questions WHERE active")
                    .fetch_all(&mut *tx)
                    .await?;
            if retire_missing {
                sqlx::query("UPDATE quiz_questions SET active = FALSE")
                    .execute(&mut *tx)
                    .await?;
            }
            for q in questions {
                sqlx::query(
                    "INSERT INTO quiz_questions (id, definition, audience, active, updated_at) VALUES ($1, $2, $3, TRUE, $4)
                     ON CONFLICT (id) DO UPDATE SET definition = $2, audience = $3, active = TRUE, updated_at = $4",
                )
                .bind(q.id.as_str())
                .bind(serde_json::to_string(q).expect("questions serialise"))
                .bind(q.audience.map(Audience::as_str))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(before)
        })?;
        if !retire_missing {
            return Ok(0);
        }
        Ok(super::count_retired(
            &before,
            questions.iter().map(|q| q.id.as_str()),
        ))
    }

    /// Active questions for an audience (including those for everyone), by id.
    pub async fn questions_for(&self, audience: Audience) -> Result<Vec<QuizQuestion>, StoreError> {
        let rows: Vec<String> = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT definition FROM quiz_questions WHERE active AND (audience IS NULL OR audience = $1) ORDER BY id",
            )
            .bind(audience.as_str())
            .fetch_all(pool)
            .await
        })?;
        rows.iter()
            .map(|d| {
                serde_json::from_str(d).map_err(|e| StoreError::Corrupt(format!("question: {e}")))
            })
            .collect()
    }

    /// A question by id, retired ones included (an attempt may still show it).
    pub async fn question(&self, id: &QuestionId) -> Result<Option<QuizQuestion>, StoreError> {
        let row: Option<String> = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT definition FROM quiz_questions WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(pool)
                .await
        })?;
        row.map(|d| {
            serde_json::from_str(&d).map_err(|e| StoreError::Corrupt(format!("question: {e}")))
        })
        .transpose()
    }

    /// Questions this subscriber answered since `since`, to avoid repeats.
    pub async fn recent_question_ids(
        &self,
        subscriber_id: i64,
        since: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let ids = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT DISTINCT q.question_id FROM quiz_answers q JOIN quiz_attempts a ON a.id = q.attempt_id
                 WHERE a.subscriber_id = $1 AND q.answered_at >= $2",
            )
            .bind(subscriber_id)
            .bind(since)
            .fetch_all(pool)
            .await
        })?;
        Ok(ids)
    }

    /// Starts an attempt; it is ranked if it is the subscriber's first in `period`.
    pub async fn start_attempt(
        &self,
        subscriber_id: i64,
        chat_id: i64,
        period: &str,
        questions: &[QuestionId],
    ) -> Result<Attempt, StoreError> {
        let now = Utc::now();
        let list = serde_json::to_string(questions).expect("ids serialise");
        let row: AttemptRow = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let ranked_before: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM quiz_attempts WHERE subscriber_id = $1 AND period = $2 AND ranked")
                    .bind(subscriber_id)
                    .bind(period)
                    .fetch_one(&mut *tx)
                    .await?;
            let row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "INSERT INTO quiz_attempts (subscriber_id, chat_id, period, ranked, questions, position, score, total, started_at)
                 VALUES ($1, $2, $3, $4, $5, 0, 0, $6, $7) RETURNING {ATTEMPT_COLUMNS}"
            )))
            .bind(subscriber_id)
            .bind(chat_id)
            .bind(period)
            .bind(ranked_before == 0)
            .bind(&list)
            .bind(questions.len() as i32)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(row)
        })?;
        row.try_into()
    }

    pub async fn attempt(&self, id: i64) -> Result<Option<Attempt>, StoreError> {
        let row: Option<AttemptRow> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE id = $1"
            )))
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        row.map(Attempt::try_from).transpose()
    }

    /// The chat's unfinished attempt, if any (the latest).
    pub async fn open_attempt(&self, chat_id: i64) -> Result<Option<Attempt>, StoreError> {
        let row: Option<AttemptRow> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE chat_id = $1 AND finished_at IS NULL ORDER BY id DESC LIMIT 1"
            )))
            .bind(chat_id)
            .fetch_optional(pool)
            .await
        })?;
        row.map(Attempt::try_from).transpose()
    }

    /// Records the answer to question `position` of an attempt, once.
    pub async fn record_answer(
        &self,
        attempt_id: i64,
        position: usize,
        option: usize,
        correct: bool,
    ) -> Result<AnswerOutcome, StoreError> {
        let now = Utc::now();
        let position_i = position as i32;
        let outcome = on_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await?;
            let row: Option<AttemptRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE id = $1"
            )))
            .bind(attempt_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else { return Ok::<_, StoreError>(None) };
            let attempt = Attempt::try_from(row)?;
            if attempt.finished || attempt.position != position {
                let answered: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM quiz_answers WHERE attempt_id = $1 AND position = $2")
                    .bind(attempt_id)
                    .bind(position_i)
                    .fetch_one(&mut *tx)
                    .await?;
                return Ok(Some(if answered > 0 { AnswerOutcome::AlreadyAnswered } else { AnswerOutcome::NotCurrent }));
            }
            let question = attempt.questions.get(position).cloned().ok_or_else(|| StoreError::Corrupt("position".into()))?;
            sqlx::query(
                "INSERT INTO quiz_answers (attempt_id, position, question_id, option_index, correct, answered_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(attempt_id)
            .bind(position_i)
            .bind(question.as_str())
            .bind(option as i32)
            .bind(correct)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let finished = position + 1 == attempt.questions.len();
            sqlx::query(
                "UPDATE quiz_attempts SET position = $2, score = score + $3, finished_at = $4 WHERE id = $1",
            )
            .bind(attempt_id)
            .bind(position_i + 1)
            .bind(i32::from(correct))
            .bind(finished.then_some(now))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            let attempt = Attempt {
                position: position + 1,
                score: attempt.score + i64::from(correct),
                finished,
                ..attempt
            };
            Ok(Some(AnswerOutcome::Recorded { correct, attempt }))
        }
        .await
        })?;
        Ok(outcome.unwrap_or(AnswerOutcome::NotCurrent))
    }

    pub async fn save_poll(
        &self,
        poll_id: &str,
        attempt_id: i64,
        position: usize,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "INSERT INTO quiz_polls (poll_id, attempt_id, position) VALUES ($1, $2, $3) ON CONFLICT (poll_id) DO NOTHING",
            poll_id,
            attempt_id,
            position as i32,
        )?;
        Ok(())
    }

    /// The attempt and question a quiz poll belongs to.
    pub async fn poll(&self, poll_id: &str) -> Result<Option<(i64, usize)>, StoreError> {
        let row: Option<(i64, i32)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT attempt_id, position FROM quiz_polls WHERE poll_id = $1")
                .bind(poll_id)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(attempt, position)| (attempt, usize::try_from(position).unwrap_or(0))))
    }

    /// The subscriber's ranked result in `period` and place among their township's participants.
    pub async fn standing(
        &self,
        subscriber_id: i64,
        period: &str,
    ) -> Result<Option<Standing>, StoreError> {
        let mine: Option<(i32, i32, String)> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT a.score, a.total, s.township_code FROM quiz_attempts a JOIN subscribers s ON s.id = a.subscriber_id
                 WHERE {RANKED_FINISHED} AND a.subscriber_id = $2"
            )))
            .bind(period)
            .bind(subscriber_id)
            .fetch_optional(pool)
            .await
        })?;
        let Some((score, total, township_code)) = mine else {
            return Ok(None);
        };
        let (better, participants): (i64, i64) = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT COALESCE(SUM(CASE WHEN a.score > $3 THEN 1 ELSE 0 END), 0), COUNT(*)
                 FROM quiz_attempts a JOIN subscribers s ON s.id = a.subscriber_id
                 WHERE {RANKED_FINISHED} AND s.township_code = $2"
            )))
            .bind(period)
            .bind(&township_code)
            .bind(score)
            .fetch_one(pool)
            .await
        })?;
        Ok(Some(Standing {
            score: i64::from(score),
            total: i64::from(total),
            rank: better + 1,
            participants,
            township_code,
        }))
    }

    /// Townships by mean share of correct answers in `period` (ranked attempts only).
    pub async fn township_leaderboard(
        &self,
        period: &str,
    ) -> Result<Vec<TownshipScore>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT s.township_code, COUNT(*) AS participants,
                        AVG(CAST(a.score AS DOUBLE PRECISION) / a.total) AS average
                 FROM quiz_attempts a JOIN subscribers s ON s.id = a.subscriber_id
                 WHERE {RANKED_FINISHED}
                 GROUP BY s.township_code ORDER BY average DESC, participants DESC, s.township_code"
            )))
            .bind(period)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Enterprises by score in `period`; ties go to the earlier finisher.
    pub async fn enterprise_leaderboard(
        &self,
        period: &str,
        limit: i64,
    ) -> Result<Vec<EnterpriseScore>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT s.enterprise_name, a.score, a.total
                 FROM quiz_attempts a JOIN subscribers s ON s.id = a.subscriber_id
                 WHERE {RANKED_FINISHED} AND s.audience = 'enterprise'
                 ORDER BY a.score DESC, a.finished_at ASC LIMIT $2"
            )))
            .bind(period)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Per question: answers given and how many were correct, by question id.
    pub async fn question_rates(&self) -> Result<Vec<QuestionRate>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT question_id, COUNT(*) AS answers, COALESCE(SUM(CASE WHEN correct THEN 1 ELSE 0 END), 0) AS correct
                 FROM quiz_answers GROUP BY question_id ORDER BY question_id",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}
