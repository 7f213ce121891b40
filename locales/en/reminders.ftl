# Scheduled reminders: the acknowledgement button and its answers.

reminder-acknowledge = ✅ Got it
acknowledge-thanks = Noted, thank you for reading!
acknowledge-already = You have already acknowledged this reminder.
acknowledge-unknown = This reminder can no longer be acknowledged.
reminder-start-quiz = 📝 Start the quiz
