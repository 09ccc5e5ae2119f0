#include "ui/QueuePanel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "models/QueueModels.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return view;
}

} // namespace

QueuePanel::QueuePanel(QueueTableModel &queues, QWidget *parent)
    : QWidget(parent), m_queues(queues), m_callers(new WaitingCallerModel(this))
{
    auto *layout = new QVBoxLayout(this);
    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages);

    auto *placeholder = new QLabel(this);
    placeholder->setObjectName(u"noQueues"_s);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setText(u"<p style='font-size:large'><b>%1</b></p><p>%2</p>"_s.arg(
        tr("No queues configured").toHtmlEscaped(),
        tr("Queues, their waiting callers, longest waits and service levels appear here as soon as the server "
           "reports them.")
            .toHtmlEscaped()));
    m_pages->addWidget(placeholder);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_queueView = makeTable(&m_queues, splitter);
    m_queueView->setObjectName(u"queueTable"_s);
    auto *callersBox = new QWidget(splitter);
    auto *callersLayout = new QVBoxLayout(callersBox);
    callersLayout->setContentsMargins(0, 0, 0, 0);
    m_callersTitle = new QLabel(callersBox);
    callersLayout->addWidget(m_callersTitle);
    auto *callersView = makeTable(m_callers, callersBox);
    callersView->setObjectName(u"waitingCallers"_s);
    callersLayout->addWidget(callersView);
    splitter->addWidget(m_queueView);
    splitter->addWidget(callersBox);
    m_pages->addWidget(splitter);

    connect(&m_queues, &QAbstractItemModel::rowsInserted, this, &QueuePanel::updatePage);
    connect(&m_queues, &QAbstractItemModel::rowsRemoved, this, &QueuePanel::updatePage);
    connect(&m_queues, &QAbstractItemModel::modelReset, this, &QueuePanel::updatePage);
    connect(&m_queues, &QAbstractItemModel::dataChanged, this, &QueuePanel::showCallersOfSelection);
    connect(m_queueView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &QueuePanel::showCallersOfSelection);
    updatePage();
}

bool QueuePanel::showsPlaceholder() const
{
    return m_pages->currentIndex() == 0;
}

void QueuePanel::updatePage()
{
    m_pages->setCurrentIndex(m_queues.rowCount() == 0 ? 0 : 1);
    if (m_queues.rowCount() > 0 && !m_queueView->currentIndex().isValid())
        m_queueView->setCurrentIndex(m_queues.index(0, 0));
    showCallersOfSelection();
}

void QueuePanel::showCallersOfSelection()
{
    const QueueStatus *queue = m_queues.queue(m_queueView->currentIndex().row());
    m_callers->setCallers(queue ? queue->waiting : QList<WaitingCaller> {});
    m_callersTitle->setText(queue ? tr("Waiting in %1").arg(queue->name) : QString());
}

} // namespace heartline
