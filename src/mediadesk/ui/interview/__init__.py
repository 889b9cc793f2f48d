"""The six-step interview wizard: one page per step, a side stepper, autosave of every field.

See `wizard.InterviewWizard`; the branching of the interview lives in `mediadesk.interview`.
Nothing is imported here: the shell loads the wizard when a first interview is opened, not at
start-up.
"""
