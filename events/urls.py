from django.urls import path

from events import views, views_competitions

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("showcases/new/", views.showcase_create, name="showcase_create"),
    path("showcases/<int:showcase_id>/", views.showcase, name="showcase"),
    path("showcases/<int:showcase_id>/cohorts/", views.cohort_add, name="cohort_add"),
    path("showcases/<int:showcase_id>/items/", views.item_add, name="item_add"),
    path("showcases/<int:showcase_id>/milestones/", views.milestone_add, name="milestone_add"),
    path("showcases/<int:showcase_id>/programme/", views.programme, name="programme"),
    path(
        "showcases/<int:showcase_id>/programme.pdf", views.programme_pdf_view, name="programme_pdf"
    ),
    path("milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone_done"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("items/<int:item_id>/invite/", views.invite, name="invite"),
    path("items/<int:item_id>/summary/", views.summary, name="summary"),
    path("items/<int:item_id>/media/", views.upload, name="upload"),
    path("media/<int:media_id>/", views.media_file, name="media"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:invitation_id>/", views.invitation, name="invitation"),
    path("competitions/new/", views_competitions.competition_create, name="competition_create"),
    path("competitions/<int:competition_id>/", views_competitions.competition, name="competition"),
    path(
        "competitions/<int:competition_id>/entries/", views_competitions.entry_add, name="entry_add"
    ),
    path(
        "competitions/<int:competition_id>/fixtures/",
        views_competitions.fixture_add,
        name="fixture_add",
    ),
    path("competitions/<int:competition_id>/results/", views_competitions.results, name="results"),
    path("competitions/<int:competition_id>/publish/", views_competitions.publish, name="publish"),
    path(
        "entries/<int:entry_id>/withdraw/", views_competitions.entry_withdraw, name="entry_withdraw"
    ),
    path(
        "public/<str:school_code>/competitions/<int:competition_id>/",
        views_competitions.public_results,
        name="public_results",
    ),
]
