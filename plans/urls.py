from django.urls import path

from plans import views, views_public

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/edit/", views.plan_edit, name="edit"),
    path("<int:plan_id>/figures/", views.plan_figures, name="figures"),
    path("<int:plan_id>/approve/", views.plan_approve, name="approve"),
    path("<int:plan_id>/publish/", views.plan_publish, name="publish"),
    path("<int:plan_id>/new-draft/", views.plan_new_draft, name="new_draft"),
    path("<int:plan_id>/diff/<int:other_id>/", views.plan_diff, name="diff"),
    path("notice/<str:school_code>/<int:term_id>/", views_public.notice, name="notice"),
    path(
        "notice/<str:school_code>/<int:term_id>/pdf/",
        views_public.notice_pdf_view,
        name="notice_pdf",
    ),
]
