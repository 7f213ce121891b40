# Integrity quizzes (廉政知识答题) and rankings.

quiz-not-subscribed = Please sign up before taking the quiz: send /start and choose who you are and your township.
quiz-empty-bank = The question bank is empty for now; please come back later.
quiz-question =
    📝 Question { $number }/{ $total }
    { $question }
quiz-correct = ✅ Correct!
quiz-wrong = ❌ Not quite. The right answer: { $answer }
quiz-explanation =
    Why: { $explanation }
    Source: { $source }
quiz-finished = 🎉 Quiz complete! Your score: { $score }/{ $total }.
quiz-standing = { $period } you rank { $rank } of { $participants } participants in { $township }. Send /rank for the rankings.
quiz-unranked = Only your first quiz in each period counts for the rankings, so this score is not ranked.
quiz-already-answered = You have already answered this question; it is not counted twice.
quiz-expired = This question has expired; please answer the latest one.
quiz-resume = You have an unfinished quiz; let's carry on:
quiz-toast-correct = ✅ Correct
quiz-toast-wrong = ❌ Wrong
rank-none = { $period }: no ranked quiz result of yours yet. Send /quiz to take the quiz.
rank-mine = { $period } your score is { $score }/{ $total }: rank { $rank } of { $participants } participants in { $township }.
rank-townships = Townships (average share of correct answers):
rank-township-line = { $rank }. { $township } — { $percent }%, { $participants } taking part
rank-enterprises = Enterprises:
rank-enterprise-line = { $rank }. { $name } — { $score }/{ $total }
rank-empty = Nobody has finished a quiz this period yet.
cmd-quiz = Integrity quiz
cmd-rank = Quiz rankings
