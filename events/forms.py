"""Forms of the events pages; choices are always limited to the actor's school."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import WEEKDAY_NAMES, Competition, Form, GuardianPart, Invitation, Media
from people.models import Staff
from programs.models import Offering
from schools.models import Grade, SchoolClass, Term, Venue

WEEKDAY_CHOICES = list(enumerate(WEEKDAY_NAMES))


class ShowcaseForm(forms.Form):
    term = forms.ModelChoiceField(Term.objects.none(), label=_("Term"))
    title = forms.CharField(label=_("Title"), max_length=100)
    theme = forms.CharField(label=_("Theme"), max_length=100, required=False)

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(school_id=school_id).order_by("-start")


class CohortForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Courses of"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("End"), widget=forms.TimeInput(attrs={"type": "time"}))


class ItemForm(forms.Form):
    cohort = forms.ModelChoiceField(None, label=_("Date"))
    offering = forms.ModelChoiceField(Offering.objects.none(), label=_("Course"))
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices)
    venue = forms.ModelChoiceField(Venue.objects.none(), label=_("Venue"))
    start = forms.TimeField(label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("End"), widget=forms.TimeInput(attrs={"type": "time"}))
    lead = forms.ModelChoiceField(Staff.objects.none(), label=_("Lead teacher"))
    teachers = forms.ModelMultipleChoiceField(
        Staff.objects.none(), label=_("Teachers"), required=False
    )
    guardian_part = forms.ChoiceField(label=_("Guardians"), choices=GuardianPart.choices)

    def __init__(self, *args, showcase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = showcase.cohorts.all()
        self.fields["offering"].queryset = Offering.objects.filter(
            term_id=showcase.term_id
        ).exclude(kind__in=Offering.CLASS_BASED)
        self.fields["venue"].queryset = Venue.objects.filter(school_id=showcase.school_id)
        staff = Staff.objects.filter(school_id=showcase.school_id, is_active=True)
        self.fields["lead"].queryset = staff
        self.fields["teachers"].queryset = staff


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=100)
    due = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ModelChoiceField(Staff.objects.none(), label=_("Owner"))

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Staff.objects.filter(school_id=school_id, is_active=True)


class RsvpForm(forms.Form):
    coming = forms.TypedChoiceField(
        label=_("Will you come?"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes, I will come")), ("no", _("No, I cannot come"))],
        widget=forms.RadioSelect,
    )
    people = forms.IntegerField(
        label=_("How many people"),
        min_value=0,
        max_value=Invitation.MAX_PEOPLE,
        initial=1,
        required=False,
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Media.Kind.choices)
    file = forms.FileField(label=_("File (JPEG, PNG, WebP; works also PDF)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    students = forms.ModelMultipleChoiceField(
        None, label=_("Children shown"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = students


class CompetitionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Competition.Kind.choices)
    scoring = forms.ChoiceField(label=_("Results"), choices=Competition.Scoring.choices)
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    entries_close = forms.DateField(
        label=_("Entries close"), widget=forms.DateInput(attrs={"type": "date"})
    )
    grades = forms.TypedMultipleChoiceField(
        label=_("Grades (none: all)"),
        choices=Grade.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class EntryForm(forms.Form):
    school_class = forms.ModelChoiceField(SchoolClass.objects.none(), label=_("Class"))
    title = forms.CharField(label=_("Programme or team"), max_length=100, required=False)

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes


class FixtureForm(forms.Form):
    round_name = forms.CharField(label=_("Round"), max_length=50)
    starts_at = forms.DateTimeField(
        label=_("Time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    venue = forms.ModelChoiceField(Venue.objects.none(), label=_("Venue"))
    entries = forms.ModelMultipleChoiceField(
        None, label=_("Entries"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(school_id=competition.school_id)
        self.fields["entries"].queryset = competition.entries.select_related("school_class")
