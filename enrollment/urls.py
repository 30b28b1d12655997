"""Enrollment pages: guardians (apply, applications, inbox), staff (reviews, allocation,
lists) and the published results (lottery, rosters)."""

from __future__ import annotations

from django.urls import path

from enrollment import views_guardian, views_public, views_staff
from notices import views as notice_views

app_name = "enrollment"
urlpatterns = [
    # Guardians
    path("", views_guardian.apply_index, name="apply_index"),
    path("apply/<int:term_id>/", views_guardian.apply, name="apply"),
    path("mine/", views_guardian.my_applications, name="mine"),
    path("children/<int:child_id>/withdraw/", views_guardian.withdraw, name="withdraw"),
    path("children/<int:child_id>/resubmit/", views_guardian.resubmit, name="resubmit"),
    path("children/<int:child_id>/agreement.pdf", views_guardian.agreement, name="agreement_pdf"),
    path("choices/<int:choice_id>/answer/", views_guardian.answer_offer, name="answer_offer"),
    path("inbox/", notice_views.inbox, name="inbox"),
    path("inbox/<int:notice_id>/", notice_views.notice_detail, name="notice"),
    # Staff
    path("staff/", views_staff.staff_home, name="staff_home"),
    path("staff/review/class/", views_staff.class_review, name="class_review"),
    path("staff/review/school/", views_staff.school_review, name="school_review"),
    path("staff/review/", views_staff.review_action, name="review"),
    path("staff/allocation/", views_staff.allocation_page, name="allocation"),
    path("staff/lists/class/<int:class_id>/", views_staff.class_list, name="class_list"),
    path("staff/lists/offering/<int:offering_id>/", views_staff.offering_list, name="offering_list"),
    # Published (公示)
    path("published/<str:school_code>/<int:term_id>/", views_public.published_index, name="published"),
    path("published/<str:school_code>/lottery/<int:offering_id>/", views_public.lottery, name="lottery"),
    path("published/<str:school_code>/roster/<int:offering_id>/", views_public.roster, name="roster"),
    path("published/<str:school_code>/roster/<int:offering_id>.pdf", views_public.roster_pdf_view,
         name="roster_pdf"),
    path("published/<str:school_code>/<int:term_id>/<str:service>/", views_public.service_roster,
         name="service_roster"),
    path("published/<str:school_code>/<int:term_id>/<str:service>.pdf", views_public.service_roster_pdf,
         name="service_roster_pdf"),
]
