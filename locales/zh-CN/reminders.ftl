# Scheduled reminders: the acknowledgement button and its answers.

reminder-acknowledge = ✅ 已阅
acknowledge-thanks = 已收到，感谢您的阅读！
acknowledge-already = 您已经确认过这条提醒了。
acknowledge-unknown = 这条提醒已无法确认。
reminder-start-quiz = 📝 开始答题
