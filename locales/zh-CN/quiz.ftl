# Integrity quizzes (廉政知识答题) and rankings.

quiz-not-subscribed = 答题前请先登记：发送 /start 选择身份和所在乡镇。
quiz-empty-bank = 题库暂时没有题目，请稍后再来。
quiz-question =
    📝 第 { $number }/{ $total } 题
    { $question }
quiz-correct = ✅ 回答正确！
quiz-wrong = ❌ 回答错误。正确答案：{ $answer }
quiz-explanation =
    解析：{ $explanation }
    依据：{ $source }
quiz-finished = 🎉 答题完成！本次得分 { $score }/{ $total }。
quiz-standing = { $period }您在{ $township }的 { $participants } 位参与者中排第 { $rank } 名。发送 /rank 查看排行榜。
quiz-unranked = 本期排名只计算第一次答题，本次成绩不计入排名。
quiz-already-answered = 这道题已经回答过了，不会重复计分。
quiz-expired = 这道题已失效，请回答最新的题目。
quiz-resume = 您有一套题还没答完，接着来：
quiz-toast-correct = ✅ 正确
quiz-toast-wrong = ❌ 错误
rank-none = { $period }您还没有计入排名的答题成绩。发送 /quiz 开始答题。
rank-mine = { $period }您的成绩：{ $score }/{ $total }，在{ $township }的 { $participants } 位参与者中排第 { $rank } 名。
rank-townships = 乡镇排行（平均正确率）：
rank-township-line = { $rank }. { $township } — { $percent }%，{ $participants } 人参与
rank-enterprises = 企业排行：
rank-enterprise-line = { $rank }. { $name } — { $score }/{ $total }
rank-empty = 本期还没有人完成答题。
cmd-quiz = 廉政知识答题
cmd-rank = 查看答题排名
