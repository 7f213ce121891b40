# Reports: the report flow, tracking codes, follow-up and replies, and notices to staff and
# reporters. Under the Rules on Handling Reports and Complaints by Discipline Inspection and
# Supervision Organs (2020), a real-name reporter is told whether the report is accepted within
# 15 working days of its receipt, and the result within 15 working days of the case being closed;
# a report for the higher commission is passed up within 5 working days of receipt.

report-intro =
    📝 Report misconduct by Party members and public officials

    · Your report is stored encrypted. Only commission staff can read it, and nothing is disclosed to the person reported.
    · You may give your name or stay anonymous. After submitting you get a tracking code to follow the report with /status.
    · Send /cancel at any time to give up; a draft is kept for 24 hours.
    · In an emergency call 110. You can also call 12388, the commissions' national reporting line.

    Choose a category:
report-ask-subcategory = Which kind of "{ $heading }"?
report-ask-person-name = What is the name of the person reported? (Press "Unknown" if you do not know.)
report-ask-person-unit = Where does the person work? (For example: a town government, a village committee, a county department.)
report-ask-person-position = What is their position? (Skip if you do not know.)
report-ask-person-level = What is their level?
report-ask-commission-staff = Does the person work for the county discipline inspection and supervision commission? (Reports about its leaders go to the higher commission; about its other staff, to the county office.)
report-ask-township = In which township did it happen? For a county department choose "County departments".
report-ask-description =
    Describe what happened (20 to 3000 characters):
    who did what, how much money or what goods were involved, who else knows. Give facts rather than conclusions.
    If typing is hard, send a voice message first, then a short written summary.
report-ask-when-where = When and where did it happen? (For example: October 2026, the town government office.)
report-ask-evidence =
    If you have evidence, send photos, videos, files or voice messages now.
    Limits: at most { $max }, each up to 20 MB (Telegram lets bots receive files of up to 20 MB only; compress or shorten a long video first).
    Received so far: { $count }. Press "Done" when finished, or "No evidence".

    Note: photos and documents sent as files keep the information stored inside them (such as the author, the camera and where a photo was taken), which may reveal who you are. If that worries you, send pictures as photos (Telegram compresses them and removes this information) and remove the author from documents first.
report-evidence-received = Evidence { $count } received (at most { $max }). Send more, or press "Done".
report-evidence-full = { $max } pieces of evidence received: that is the limit, and further files are not kept.
report-evidence-too-large = This file is about { $size } MB, over the 20 MB limit (Telegram lets bots receive files of up to 20 MB only), so it cannot be kept. Compress or shorten it and send it again, or describe the evidence in your report.
report-evidence-unsupported = Only photos, videos, files and voice messages can be kept (each up to 20 MB).
report-voice-description-kept = 🎙 Your voice message is kept as evidence, and staff will listen to it. Please also write a short summary, so that the report can be registered and passed to the right office.
report-evidence-not-now = Files cannot be taken yet; send them at the evidence step.
report-ask-identity =
    Do you want to report under your real name or anonymously?

    · Real name: give your name and mobile number. Commissions keep reporters' details strictly confidential, and real-name reporters are told whether the report is accepted and what the result is.
    · Anonymous: no name or contact details.
report-ask-reporter-name = Your real name:
report-ask-reporter-mobile = Your mobile number (11 digits):
report-ask-notify =
    Anonymous report: do you want acceptance notices and staff replies in this chat?

    · Yes: your Telegram chat address is stored encrypted with the report, used only to send replies; staff cannot see it.
    · No: nothing is stored that links the report to your account. Follow it at any time by sending /status with your tracking code.
report-review =
    Please check your report:

    Category: { $category }
    Person reported: { $name }, { $unit }, { $position }, { $level }
    Commission staff: { $staff }
    Township: { $township }
    When and where: { $when }
    Evidence: { $evidence }
    Identity: { $identity }

    What happened:
    { $description }

    If everything is right, press "Submit".
report-review-truncated = ({ $count } characters in all; only the beginning is shown here, the whole text is kept)
report-edit-which = What do you want to change?
report-submitted =
    ✅ Report submitted (No. { $id }) and stored encrypted.

    Your tracking code: { $code }

    This message is protected: it cannot be forwarded or saved. Write the code down, or press “Send a code I can save” below. It is shown only this once and the staff cannot recover it.
    Send /status { $code } to follow the report, read replies and add information.
report-submitted-acceptance = You will be told whether it is accepted within 15 working days of its receipt (by { $due }).
report-submitted-no-notice = You chose to stay anonymous without replies, so no acceptance notice can reach you; send /status with your code at any time to follow the report.
report-submitted-upward = By cadre-management authority this report is for the higher commission: it will be transferred there within 5 working days of its receipt (by { $due }), and you will be told.
report-submitted-provisional = Note: next year's public holidays are not yet announced, so this date is an estimate and may shift slightly.
report-cancelled = Report abandoned; the draft is deleted.
report-follow-up-cancelled = Cancelled. Send /status whenever you want to look a report up.
report-expired = Your report draft was left unfinished for 24 hours and has been deleted. Send /report to start again.
report-quota-reached = To prevent abuse, an account may submit at most { $limit } reports a day. Please submit tomorrow, or call 12388.
report-draft-in-progress = You have an unfinished report draft. Carry on, or send /cancel to abandon it.
report-review-outdated = This summary is out of date: the report was changed after it. Please check the latest summary below and submit from there.
report-confirm-cancel = Abandon this report? Everything you have written will be deleted and cannot be recovered.
report-button-confirm-cancel = Abandon it
report-button-keep-draft = Go back
report-resumed = Continuing your report draft:
report-text-empty = This cannot be empty; please type it again.
report-text-too-short = That is too short: please write at least { $min } characters.
report-text-too-long = That is too long: at most { $max } characters. Please shorten it and send it again.
report-one-line = Please type one line, without line breaks.
report-mobile-invalid = That is not a valid mobile number. Type an 11-digit number such as 13800138000.
report-use-buttons = Please choose with the buttons below.
report-deleted = The report conversation is deleted (the tracking code message stays: save the code, then delete it yourself).
report-delete-failed = Some messages could not be deleted (Telegram allows deleting only messages under 48 hours old). Please delete them by hand.
report-unavailable = Reporting is not available yet. Please call 12388, the national reporting line, or visit 12388.gov.cn.
report-anonymous = Anonymous (no replies)
report-anonymous-notified = Anonymous (replies in this chat)
report-real-name = Real name: { $name }, { $mobile }
report-name-unknown = name unknown
report-no-position = position unknown
report-no-evidence = none
report-evidence-count = { $count } ({ $kinds })
report-township-from-profile = { $township } (from your sign-up; press "Change" if it is another)
report-county-departments = County departments
report-yes = Yes
report-no = No
report-button-unknown = Unknown
report-button-skip-position = Skip
report-button-county-departments = 🏛 County departments
report-button-evidence-done = ✅ Done
report-button-no-evidence = No evidence
report-button-real-name = Real name
report-button-anonymous = Anonymous
report-button-notify-yes = Yes, replies here
report-button-notify-no = No, leave no contact
report-button-submit = ✅ Submit
report-button-edit = ✏️ Change
report-button-cancel = ✖️ Abandon
report-button-back = ⬅️ Back
report-button-delete = 🗑 Delete this report conversation
report-button-savable-code = 📋 Send a code I can save
report-savable-code = Qingfeng report tracking code: { $code }
    (The code only, no report content. Send /status with the code to follow the report. Keep it private.)
report-button-reply = ✍️ Write to the staff
report-button-progress = 📋 See progress
report-field-category = Category
report-field-person = Person reported
report-field-township = Township
report-field-description = What happened
report-field-when-where = When and where
report-field-evidence = Evidence
report-field-identity = Real name / anonymous
report-level-county-or-above = County-level leading official
report-level-section = Leader of a township or county department (section level)
report-level-staff = Ordinary official
report-level-village = Village (community) cadre
report-level-state-enterprise = State-owned enterprise staff
report-level-other = Other
report-level-unknown = Not sure
report-commission-no = No
report-commission-leader = Yes, a member of the county commission's leadership
report-commission-other = Yes, other commission staff
report-evidence-photo = photo
report-evidence-document = file
report-evidence-voice = voice note

status-ask-code = Send your tracking code (16 letters and digits, e.g. 7KQ4-M2XD-9PRT-HC3V):
status-code-malformed = A tracking code has 16 letters and digits (e.g. 7KQ4-M2XD-9PRT-HC3V). Check it and send it again, or /cancel.
status-wrong-code = No report has this tracking code. Check it and try again ({ $tries } tries left this hour).
status-throttled = Too many wrong codes: lookups are paused. Try again after { $time }.
status-view =
    📋 Report No. { $id }
    Status: { $status }
    Category: { $category } ({ $township })
    Submitted: { $received }
    { $deadline }

    { $messages }
status-deadline-acceptance = Acceptance notice due: { $due } (15 working days from receipt)
status-deadline-result = Result notice due: { $due } (15 working days from closing)
status-deadline-upward = Transfer to the higher commission due: { $due } (5 working days from receipt)
status-message-staff = [Staff { $time }]
    { $text }
status-message-you = [You { $time }]
    { $text }
status-no-messages = No replies yet.
status-older-messages = ({ $count } older messages not shown)
status-reply-prompt = Type your message to the staff (at most 2000 characters). Send /cancel to stop.
status-reply-sent = Sent to the staff. Send /status with your tracking code at any time to read replies.
status-reply-closed = This report is closed and cannot take replies. If something new happened, send /report.
status-finish-draft = You have an unfinished report draft. Submit it, or send /cancel, before looking a report up.
report-status-received = received, awaiting acceptance
report-status-accepted = accepted
report-status-not-accepted = not accepted
report-status-in-disposal = being handled
report-status-concluded = concluded, result notice pending
report-status-closed = closed, result sent
report-status-transferred = transferred to the higher commission

# Staff alerts: never any report content.
report-alert-new = 🔔 New report No. { $id }: { $township }, { $category }, acceptance due { $due }. Open the dashboard to handle it.
report-alert-due-soon = ⏰ Report No. { $id } ({ $township }, { $category }): the { $deadline } is due on { $due }. Open the dashboard to handle it.
report-alert-overdue = ⚠️ Report No. { $id } ({ $township }, { $category }): the { $deadline } was due on { $due } and is overdue. Open the dashboard now.
report-alert-reporter-message = 💬 The reporter of report No. { $id } sent a new message. Open the dashboard to read it.
report-alert-forwarded = 📨 Report No. { $id } was forwarded to your desk for handling. Your deadlines count from your receipt. Open the dashboard to see it.
report-alert-upward = 📤 Report No. { $id } is for the higher commission: transfer due { $due } (5 working days from receipt). County office: open the dashboard to pass it up; do not copy it or widen who knows of it.
report-alert-upward-due-soon = ⏰ Report No. { $id }, for the higher commission, must be transferred by { $due }. Open the dashboard to handle it.
report-alert-upward-overdue = ⚠️ Report No. { $id }, for the higher commission, was due for transfer on { $due } and is overdue. Open the dashboard now.
report-deadline-acceptance = acceptance notice
report-deadline-upward = transfer deadline
report-deadline-result = result notice

# Notices to reporters (sent protected: they cannot be forwarded).
report-notice-accepted = 📋 Your report (No. { $id }) has been accepted. Send /status with your tracking code to follow it.
report-notice-not-accepted =
    📋 Your report (No. { $id }) was not accepted. The reason:
    { $text }
report-notice-closed =
    📋 Your report (No. { $id }) is concluded. The result:
    { $text }
report-notice-reply =
    💬 The commission staff replied about your report (No. { $id }):
    { $text }

    To answer, send /status with your tracking code.

report-notice-merged = 📋 Your report (No. { $id }) concerns the same matter as another report received and is handled together with it.
report-notice-transferred = 📋 Your report (No. { $id }) belongs, by cadre-management authority, to the higher commission and has been transferred to it. This commission keeps no copy of its content; the higher commission handles it under the rules.
report-progress = [Step { $step } of { $total }]
