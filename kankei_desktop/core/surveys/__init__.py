"""Surveys (アンケート, issue 19) without a user interface: how answers are stored and read,
the template library, the results of a session, a club or the programme, and the survey score
other code (KPIs) can call (:func:`kankei_desktop.core.surveys.score.survey_score`).

A ``Survey`` belongs to a session or to a club (reused by the club's sessions); its
``Question`` rows are ``scale``, ``single``, ``multiple`` or ``text``; a ``Response`` is one
filled-in questionnaire at a session (a paper sheet or a row of an online form's export), with
one ``Answer`` per answered question. See :mod:`.values` for how an answer is stored.
"""
